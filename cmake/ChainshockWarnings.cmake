# chainshock_configure_target(<target>): the project's warnings, standard and sanitizers, and
# no floating-point contraction.
function(chainshock_configure_target target)
  target_compile_features(${target} PUBLIC cxx_std_20)
  set_target_properties(${target} PROPERTIES CXX_EXTENSIONS OFF)
  # GCC fuses a * b + c into one fused multiply-add wherever the target has FMA (-march=native
  # on any recent x86-64), even in ISO mode, and a fused result differs in the last bit: the same
  # scenario and seed would then give different numbers depending on the build flags and the
  # machine. Off everywhere, so that they do not (tests/golden/golden_test.cpp checks it).
  target_compile_options(${target} PUBLIC -ffp-contract=off)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Wnon-virtual-dtor
    -Wold-style-cast -Woverloaded-virtual)
  if(CHAINSHOCK_SANITIZERS)
    list(JOIN CHAINSHOCK_SANITIZERS "," san)
    target_compile_options(${target} PUBLIC -fsanitize=${san} -fno-omit-frame-pointer
                                            -fno-sanitize-recover=all)
    target_link_options(${target} PUBLIC -fsanitize=${san})
  endif()
endfunction()
