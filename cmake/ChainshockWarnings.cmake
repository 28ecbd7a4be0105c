# chainshock_configure_target(<target>): the project's warnings, standard and sanitizers.
function(chainshock_configure_target target)
  target_compile_features(${target} PUBLIC cxx_std_20)
  set_target_properties(${target} PROPERTIES CXX_EXTENSIONS OFF)
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
