// The daily global decision at the start of each day, on the state every node left at the end of
// the previous day: scarcity prices, chained shocks, and strategic stockpile releases. Plus what
// the nodes do with those decisions (release, refill) and with destroyed stock.
#include "models/replication.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace chainshock::models {

namespace {

struct Snapshot {
    double cover_days = 0.0;      ///< stock of the commodity / expected use
    double shortfall_share = 0.0; ///< yesterday's unmet / demand
};

} // namespace

void Replication::on_daily_global(Outbox& out) {
    const std::int64_t day = engine::day_index(out.now());
    update_prices(day);
    check_triggers(day, out);
    run_policies(day, out);
    if (out.now() + engine::kOneDay < horizon_) {
        out.emit(out.self(), out.now() + engine::kOneDay, phase::kPolicy,
                 Payload{EventType::DailyGlobal});
    }
}

void Replication::update_prices(std::int64_t day) {
    // price = base x min(max_multiple, 1 + elasticity x unmet share over the last window_days).
    const MarketSpec& market = model_.network().spec().market;
    for (CommodityIndex c = 0; c < commodity_count_; ++c) {
        if (market.elasticity > 0.0) {
            double demand = 0.0;
            double unmet = 0.0;
            for (NodeIndex m : model_.users(c)) {
                const auto& d = nodes_[m].daily_demand;
                const auto& u = nodes_[m].daily_shortfall;
                for (std::int64_t k = std::max<std::int64_t>(0, day - market.window_days); k < day;
                     ++k) {
                    demand += double(d[static_cast<std::size_t>(k)]);
                    unmet += double(u[static_cast<std::size_t>(k)]);
                }
            }
            const double share = demand > 0.0 ? unmet / demand : 0.0;
            world_.price[c] =
                model_.price(c) * std::min(market.max_multiple, 1.0 + market.elasticity * share);
        }
        world_.peak_price[c] = std::max(world_.peak_price[c], world_.price[c]);
        if (engine::days(day) >= warmup_) world_.price_sum[c] += world_.price[c];
    }
    if (engine::days(day) >= warmup_) ++world_.price_days;
}

void Replication::check_triggers(std::int64_t day, Outbox& out) {
    const auto& shocks = model_.shocks();
    for (std::uint32_t s = 0; s < shocks.size(); ++s) {
        const ShockPlan& plan = shocks[s];
        if (!plan.trigger || world_.triggered[s]) continue;
        double value = 0.0;
        if (plan.trigger->metric == TriggerSpec::Metric::Price) {
            value = world_.price[*plan.trigger_commodity];
        } else if (day > 0) {
            double demand = 0.0;
            double unmet = 0.0;
            for (NodeIndex n = 0; n < nodes_.size(); ++n) {
                if (nodes_[n].daily_demand.empty()) continue;
                if (!plan.trigger_countries.empty() &&
                    !plan.trigger_countries[model_.network().country_of(n)]) {
                    continue;
                }
                demand += double(nodes_[n].daily_demand[static_cast<std::size_t>(day - 1)]);
                unmet += double(nodes_[n].daily_shortfall[static_cast<std::size_t>(day - 1)]);
            }
            value = demand > 0.0 ? unmet / demand : 0.0;
        }
        if (value <= plan.trigger->above) continue;
        world_.triggered[s] = 1;
        on_shock_start(s, 0, out);
    }
}

void Replication::run_policies(std::int64_t day, Outbox& out) {
    const auto& policies = model_.policies();
    for (std::size_t p = 0; p < policies.size(); ++p) {
        const PolicyPlan& plan = policies[p];
        if (plan.mode == StockpilePolicySpec::Mode::None) continue;
        const bool bloc = plan.mode == StockpilePolicySpec::Mode::Coordinated;
        for (std::size_t u = 0; u < world_.release[p].size(); ++u) {
            ReleaseState& state = world_.release[p][u];
            // Scratch vectors, so that the daily policy event does not allocate.
            Scratch& tmp = scratch();
            std::vector<std::size_t>& members = tmp.members;
            members.assign(bloc ? plan.stockpiles.size() : 1, u);
            if (bloc) std::iota(members.begin(), members.end(), std::size_t{0});
            const std::vector<NodeIndex>& served = bloc ? plan.bloc_manufacturers : plan.served[u];
            // What the trigger and stop rules look at.
            Snapshot snap;
            double stock = 0.0, use = 0.0, demand = 0.0, unmet = 0.0;
            for (NodeIndex m : served) {
                stock += to_tonnes(on_hand(m, plan.commodity));
                use += model_.usage_tpd(m, plan.commodity) * world_.demand_factor[m];
                if (day > 0) {
                    demand += double(nodes_[m].daily_demand[static_cast<std::size_t>(day - 1)]);
                    unmet += double(nodes_[m].daily_shortfall[static_cast<std::size_t>(day - 1)]);
                }
            }
            snap.cover_days = use > 0.0 ? stock / use : 1e9;
            snap.shortfall_share = demand > 0.0 ? unmet / demand : 0.0;
            Kg reserve = 0;
            for (std::size_t k : members) reserve += on_hand(plan.stockpiles[k], plan.commodity);
            if (!state.active) {
                bool fire = false;
                switch (plan.trigger) {
                case StockpilePolicySpec::Trigger::DaysOfCover:
                    fire = snap.cover_days < plan.trigger_value;
                    break;
                case StockpilePolicySpec::Trigger::ShortfallFraction:
                    fire = snap.shortfall_share > plan.trigger_value;
                    break;
                case StockpilePolicySpec::Trigger::Price:
                    fire = world_.price[plan.commodity] > plan.trigger_value;
                    break;
                case StockpilePolicySpec::Trigger::Scheduled:
                    fire = !state.done && out.now() >= engine::days_to_ticks(plan.trigger_value);
                    break;
                }
                if (!fire || reserve <= 0) continue;
                state = ReleaseState{true, true, out.now().value, 0, state.activations + 1};
            }
            const bool stop =
                (plan.duration && out.now().value - state.since >= plan.duration->value) ||
                (plan.total && state.released >= *plan.total) ||
                (plan.stop_days_of_cover && snap.cover_days > *plan.stop_days_of_cover) ||
                reserve <= 0;
            if (stop) {
                state.active = false;
                continue;
            }
            Kg amount = std::min(plan.release_per_day, reserve);
            if (plan.total) amount = std::min(amount, *plan.total - state.released);
            // Each member's part of the release: in proportion to its consumption (the IEA
            // collective-action rule); a member short of its part gives what it has and the rest
            // is shared again among members with stock, by consumption.
            std::vector<double>& weight = tmp.weight;
            weight.assign(members.size(), 0.0);
            std::vector<Kg>& stock_of = tmp.stock_of;
            stock_of.assign(members.size(), 0);
            for (std::size_t k = 0; k < members.size(); ++k) {
                const NodeIndex sp = plan.stockpiles[members[k]];
                stock_of[k] = on_hand(sp, plan.commodity);
                for (NodeIndex m : plan.served[members[k]]) {
                    if (model_.network().country_of(m) == model_.network().country_of(sp)) {
                        weight[k] += model_.usage_tpd(m, plan.commodity);
                    }
                }
            }
            if (std::accumulate(weight.begin(), weight.end(), 0.0) <= 0.0) {
                std::fill(weight.begin(), weight.end(), 1.0);
            }
            std::vector<Kg>& part = tmp.part;
            part.assign(members.size(), 0);
            Kg left = amount;
            for (int round = 0; round < 16 && left > 0; ++round) {
                double total_weight = 0.0;
                for (std::size_t k = 0; k < members.size(); ++k) {
                    if (stock_of[k] > part[k]) total_weight += weight[k];
                }
                if (total_weight <= 0.0) break;
                Kg given = 0;
                for (std::size_t k = 0; k < members.size(); ++k) {
                    if (stock_of[k] <= part[k]) continue;
                    const Kg want = std::llround(double(left) * weight[k] / total_weight);
                    const Kg give = std::min(want, stock_of[k] - part[k]);
                    part[k] += give;
                    given += give;
                }
                left -= given;
                if (given == 0) {
                    // Rounding leftovers: first member with stock takes them.
                    for (std::size_t k = 0; k < members.size() && left > 0; ++k) {
                        const Kg give = std::min(left, stock_of[k] - part[k]);
                        part[k] += give;
                        left -= give;
                    }
                }
            }
            // Released tonnes go where the shortfall is (yesterday's unmet use of the
            // commodity), or by expected use while there is none yet.
            std::vector<double>& need = tmp.need;
            need.assign(served.size(), 0.0);
            for (std::size_t i = 0; i < served.size(); ++i) {
                const NodeIndex m = served[i];
                // Only a plant short of this commodity (less than a day's use in stock) counts
                // its shortfall: a shortage caused by another input must not attract it.
                const double daily_use = model_.usage_tpd(m, plan.commodity);
                if (day > 0 && to_tonnes(on_hand(m, plan.commodity)) < daily_use) {
                    need[i] = double(nodes_[m].daily_shortfall[static_cast<std::size_t>(day - 1)]);
                }
            }
            if (std::accumulate(need.begin(), need.end(), 0.0) <= 0.0) {
                for (std::size_t i = 0; i < served.size(); ++i) {
                    need[i] = model_.usage_tpd(served[i], plan.commodity);
                }
            }
            const double need_total = std::accumulate(need.begin(), need.end(), 0.0);
            for (std::size_t k = 0; k < members.size(); ++k) {
                if (part[k] <= 0 || need_total <= 0.0) continue;
                const NodeIndex sp = plan.stockpiles[members[k]];
                Kg rest = part[k];
                for (std::size_t i = 0; i < served.size(); ++i) {
                    const Kg q = i + 1 == served.size()
                                     ? rest
                                     : std::llround(double(part[k]) * need[i] / need_total);
                    if (q <= 0) continue;
                    rest -= q;
                    Payload release{EventType::Release};
                    release.commodity = plan.commodity;
                    release.buyer = served[i];
                    release.path = model_.find_path(sp, served[i]);
                    release.qty = q;
                    out.emit(sp, out.now() + engine::kOneTick, phase::kOrder, release);
                }
                state.released += part[k];
            }
        }
    }
}

void Replication::on_release(NodeIndex n, const Payload& p, Outbox& out) {
    catch_up(n, out);
    const Kg qty = std::min(p.qty, on_hand(n, p.commodity));
    if (qty <= 0) return;
    if (measuring(out.now())) nodes_[n].stats.released += qty;
    ship(n, p.path, p.buyer, p.commodity, qty, kUnordered, out);
}

void Replication::refill(NodeIndex n, Outbox& out) {
    // Buy back up to the reserve's capacity, at most refill_tpd a day, while the policy is not
    // releasing and the price index is at or below the ceiling.
    const auto owner = model_.policy_of(n);
    if (!owner) return;
    const PolicyPlan& plan = model_.policies()[owner->first];
    if (plan.refill_per_day <= 0 || !plan.refill_supplier) return;
    if (world_.release[owner->first][owner->second].active) return;
    if (plan.refill_price_ceiling && world_.price[plan.commodity] > *plan.refill_price_ceiling)
        return;
    NodeState& s = nodes_[n];
    const Kg room =
        *model_.nodes()[n].storage_capacity - on_hand(n, plan.commodity) - s.refill_on_order;
    const Kg qty = std::min(room, plan.refill_per_day);
    if (qty <= 0) return;
    s.refill_on_order += qty;
    Payload order{EventType::OrderArrive};
    order.commodity = plan.commodity;
    order.buyer = n;
    order.path = model_.find_path(*plan.refill_supplier, n);
    order.qty = qty;
    order.flags = kRefill;
    out.emit(*plan.refill_supplier, out.now() + engine::kOneTick, phase::kOrder, order);
}

void Replication::on_destroy(NodeIndex n, const Payload& p, Outbox& out) {
    catch_up(n, out);
    const double share = double(p.stamp) / 1e9;
    for (CommodityIndex c = 0; c < commodity_count_; ++c) {
        const Kg lost = std::llround(double(on_hand(n, c)) * share);
        if (lost <= 0) continue;
        on_hand(n, c) -= lost;
        destroyed_[n * commodity_count_ + c] += lost;
        if (measuring(out.now())) nodes_[n].stats.destroyed += lost;
    }
    touch_levels(n, out.now());
}

} // namespace chainshock::models
