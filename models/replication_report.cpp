// End of a replication: the mass-balance audit, the KPIs and the merged time series.
#include "models/replication.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace chainshock::models {

void Replication::check_mass_balance() const {
    const std::size_t cc = commodity_count_;
    std::vector<Kg> initial(cc, 0), produced(cc, 0), consumed(cc, 0), held(cc, 0), moving(cc, 0);
    std::vector<Kg> gone = world_.lost_in_transit; // lost in transit, plus destroyed below
    for (NodeIndex n = 0; n < nodes_.size(); ++n) {
        for (CommodityIndex c = 0; c < cc; ++c) {
            initial[c] += model_.initial()[n * cc + c];
            consumed[c] += consumed_[n * cc + c];
            held[c] += on_hand(n, c);
            gone[c] += destroyed_[n * cc + c];
        }
        if (const auto sells = model_.nodes()[n].sells)
            produced[*sells] += nodes_[n].produced_total;
    }
    // In transit is counted from the pending shipment events themselves, independently of the
    // counters above.
    scheduler_.pending().for_each([&](const Event& e) {
        if (e.payload.type == EventType::ShipmentArrive)
            moving[e.payload.commodity] += e.payload.qty;
    });
    for (CommodityIndex c = 0; c < cc; ++c) {
        if (initial[c] + produced[c] != consumed[c] + held[c] + moving[c] + gone[c]) {
            const auto t = [](Kg kg) { return std::to_string(to_tonnes(kg)); };
            throw std::logic_error("chainshock: mass balance violated for commodity '" +
                                   model_.network().spec().commodities[c].id + "': initial " +
                                   t(initial[c]) + " + produced " + t(produced[c]) +
                                   " != consumed " + t(consumed[c]) + " + on hand " + t(held[c]) +
                                   " + in transit " + t(moving[c]) + " (t)");
        }
        if (held[c] < 0) {
            throw std::logic_error("chainshock: negative stock of commodity '" +
                                   model_.network().spec().commodities[c].id + "'");
        }
    }
}

namespace {

struct DemandTotals {
    Kg demand = 0, filled_on_time = 0, delivered = 0, lost = 0;

    void add(const NodeStats& st) {
        demand += st.demand;
        filled_on_time += st.filled_on_time;
        delivered += st.delivered;
        lost += st.lost;
    }
};

double ratio(double num, double den, double if_zero) { return den > 0.0 ? num / den : if_zero; }

void add_demand_kpis(std::vector<Kpi>& out, const std::string& entity, const DemandTotals& d) {
    out.push_back({entity, "demand_t", to_tonnes(d.demand)});
    out.push_back({entity, "delivered_t", to_tonnes(d.delivered)});
    out.push_back({entity, "filled_on_time_t", to_tonnes(d.filled_on_time)});
    out.push_back({entity, "shortfall_t", to_tonnes(d.demand - d.filled_on_time)});
    out.push_back({entity, "lost_t", to_tonnes(d.lost)});
    out.push_back({entity, "fill_rate", ratio(double(d.filled_on_time), double(d.demand), 1.0)});
}

double cost_total(const NodeStats& st) {
    return st.cost_holding + st.cost_backorder + st.cost_lost_sales + st.cost_ordering +
           st.cost_procurement + st.cost_transport + st.cost_tariff + st.cost_floor_premium;
}

} // namespace

std::vector<Kpi> Replication::kpis() const {
    const Network& net = model_.network();
    const double days = engine::to_days(horizon_ - warmup_);
    const double ticks = double((horizon_ - warmup_).value);
    std::vector<Kpi> out;
    // Network and countries: the manufacturers' demand, and every node's costs.
    DemandTotals network;
    std::vector<DemandTotals> countries(net.countries().size());
    std::vector<bool> has_demand(net.countries().size(), false);
    double costs = 0.0;
    Kg produced = 0;
    for (NodeIndex n = 0; n < nodes_.size(); ++n) {
        const NodeStats& st = nodes_[n].stats;
        costs += cost_total(st);
        produced += st.produced;
        if (model_.nodes()[n].kind != NodeKind::Manufacturer) continue;
        network.add(st);
        countries[net.country_of(n)].add(st);
        has_demand[net.country_of(n)] = true;
    }
    add_demand_kpis(out, "network", network);
    out.push_back({"network", "produced_t", to_tonnes(produced)});
    out.push_back({"network", "cost_total_usd", costs});
    double tariffs = 0.0, premiums = 0.0, shortage = 0.0;
    Kg released = 0, refilled = 0, resourced = 0, destroyed = 0;
    for (const auto& node : nodes_) {
        tariffs += node.stats.cost_tariff;
        premiums += node.stats.cost_floor_premium;
        shortage += node.stats.cost_lost_sales + node.stats.cost_backorder;
        released += node.stats.released;
        refilled += node.stats.refilled;
        resourced += node.stats.resourced;
        destroyed += node.stats.destroyed;
    }
    Kg lost_cargo = 0;
    for (Kg kg : world_.lost_in_transit) lost_cargo += kg;
    out.push_back({"network", "cost_shortage_usd", shortage});
    out.push_back({"network", "tariff_revenue_usd", tariffs});
    out.push_back({"network", "floor_premium_usd", premiums});
    out.push_back({"network", "resourced_t", to_tonnes(resourced)});
    out.push_back({"network", "stockpile_released_t", to_tonnes(released)});
    out.push_back({"network", "stockpile_refilled_t", to_tonnes(refilled)});
    out.push_back({"network", "destroyed_t", to_tonnes(destroyed)});
    out.push_back({"network", "lost_in_transit_t", to_tonnes(lost_cargo)});
    const auto& commodities = net.spec().commodities;
    for (CommodityIndex c = 0; c < commodity_count_; ++c) {
        const double mean = world_.price_days > 0 ? world_.price_sum[c] / double(world_.price_days)
                                                  : world_.price[c];
        out.push_back({commodities[c].id, "price_mean_usd_per_t", mean});
        out.push_back({commodities[c].id, "price_peak_usd_per_t", world_.peak_price[c]});
    }
    for (const auto& bloc : net.spec().blocs) {
        const CountrySet members = resolve_countries(net, {bloc.id});
        DemandTotals totals;
        for (std::size_t c = 0; c < countries.size(); ++c) {
            if (!members[c]) continue;
            totals.demand += countries[c].demand;
            totals.filled_on_time += countries[c].filled_on_time;
            totals.delivered += countries[c].delivered;
            totals.lost += countries[c].lost;
        }
        add_demand_kpis(out, bloc.id, totals);
    }
    for (std::size_t c = 0; c < countries.size(); ++c) {
        if (has_demand[c]) add_demand_kpis(out, net.countries()[c], countries[c]);
    }
    // Costs of every node in a country (and in each bloc's countries).
    std::vector<double> country_cost(countries.size(), 0.0);
    for (NodeIndex n = 0; n < nodes_.size(); ++n) {
        country_cost[net.country_of(n)] += cost_total(nodes_[n].stats);
    }
    for (const auto& bloc : net.spec().blocs) {
        const CountrySet members = resolve_countries(net, {bloc.id});
        double total = 0.0;
        for (std::size_t c = 0; c < countries.size(); ++c) {
            if (members[c]) total += country_cost[c];
        }
        out.push_back({bloc.id, "cost_total_usd", total});
    }
    for (std::size_t c = 0; c < countries.size(); ++c) {
        out.push_back({net.countries()[c], "cost_total_usd", country_cost[c]});
    }
    for (NodeIndex n = 0; n < nodes_.size(); ++n) {
        const NodePlan& plan = model_.nodes()[n];
        const NodeState& s = nodes_[n];
        const NodeStats& st = s.stats;
        const std::string& id = net.node(n).id;
        const auto add = [&](const char* metric, double value) {
            out.push_back({id, metric, value});
        };
        const double measured_days = std::max<double>(1.0, double(st.days));
        if (plan.kind == NodeKind::Manufacturer) {
            DemandTotals d;
            d.add(st);
            add_demand_kpis(out, id, d);
            add("ready_rate", ratio(double(st.ready_days), double(st.days), 1.0));
            add("shortfall_days", double(st.shortfall_days));
            add("backorders_end_mean_t", st.end_backorders_t / measured_days);
            add("backorders_time_avg_t", st.backorder_area.area(horizon_.value) / ticks);
            add("mean_customer_delay_days", ratio(st.backorder_area.area(horizon_.value) / ticks,
                                                  to_tonnes(st.demand) / days, 0.0));
        }
        if (plan.kind == NodeKind::Mine || plan.kind == NodeKind::Refinery) {
            add("produced_t", to_tonnes(st.produced));
            add("shipped_t", to_tonnes(st.shipped));
            add("backlog_end_t", to_tonnes(s.backlog_total));
        }
        if (plan.kind == NodeKind::Refinery) {
            add("utilisation", st.busy_area.area(horizon_.value) / (ticks * double(plan.lines)));
            add("batches", double(st.batches));
            add("mean_wait_days", st.wait_days.mean());
            add("mean_time_in_node_days", st.sojourn_days.mean());
            add("time_avg_queue_batches", st.queue_area.area(horizon_.value) / ticks);
            add("time_avg_in_system_batches", st.system_area.area(horizon_.value) / ticks);
            add("batches_per_day", double(st.batches) / days);
        }
        if (plan.kind == NodeKind::Port) {
            add("throughput_t", to_tonnes(st.throughput));
            add("mean_wait_days", st.wait_days.mean());
        }
        if (plan.kind == NodeKind::Stockpile) {
            add("released_t", to_tonnes(st.released));
            add("refilled_t", to_tonnes(st.refilled));
        }
        add("destroyed_t", to_tonnes(st.destroyed));
        add("on_hand_end_mean_t", st.end_on_hand_t / measured_days);
        add("on_hand_time_avg_t", st.on_hand_area.area(horizon_.value) / ticks);
        if (!plan.purchases.empty()) {
            double on_order_area = 0.0;
            for (const auto& ps : s.purchases)
                on_order_area += ps.on_order_area.area(horizon_.value);
            add("on_order_time_avg_t", on_order_area / ticks);
            add("received_t", to_tonnes(st.received));
            add("orders_placed", double(st.orders_placed));
            add("resourced_t", to_tonnes(st.resourced));
            add("order_variance", st.orders_per_period.variance());
            add("demand_variance", st.observed_per_period.variance());
            add("order_variance_ratio",
                ratio(st.orders_per_period.variance(), st.observed_per_period.variance(), 0.0));
        }
        add("cost_holding_usd", st.cost_holding);
        add("cost_backorder_usd", st.cost_backorder);
        add("cost_lost_sales_usd", st.cost_lost_sales);
        add("cost_ordering_usd", st.cost_ordering);
        add("cost_procurement_usd", st.cost_procurement);
        add("cost_transport_usd", st.cost_transport);
        add("cost_tariff_usd", st.cost_tariff);
        add("cost_floor_premium_usd", st.cost_floor_premium);
        add("cost_total_usd", cost_total(st));
        add("cost_per_day_usd", cost_total(st) / days);
    }
    resilience_kpis(out);
    return out;
}

std::vector<SeriesPoint> Replication::merged_series() const {
    // Network totals per day, then every node's points, ordered by (day, node order).
    std::vector<SeriesPoint> out;
    std::vector<std::size_t> cursor(nodes_.size(), 0);
    for (std::int64_t day = 0; day < model_.network().spec().horizon_days; day += series_every_) {
        double demand = 0.0, shortfall = 0.0, held = 0.0;
        const std::size_t network_at = out.size();
        for (NodeIndex n = 0; n < nodes_.size(); ++n) {
            const auto& series = nodes_[n].series;
            for (std::size_t& i = cursor[n]; i < series.size() && series[i].day == day; ++i) {
                const SeriesPoint& p = series[i];
                if (p.metric == "demand_t") demand += p.value;
                if (p.metric == "shortfall_t") shortfall += p.value;
                if (p.metric == "on_hand_t") held += p.value;
                out.push_back(p);
            }
        }
        const SeriesPoint totals[] = {{day, "network", "demand_t", demand},
                                      {day, "network", "shortfall_t", shortfall},
                                      {day, "network", "on_hand_t", held}};
        out.insert(out.begin() + static_cast<std::ptrdiff_t>(network_at), std::begin(totals),
                   std::end(totals));
    }
    return out;
}

} // namespace chainshock::models
