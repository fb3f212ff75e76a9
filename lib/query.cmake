# The public library (cglimits.h): libcglimits-query.so.1 and libcglimits-query.a, built on
# cglimits_core, the code the shim runs. Included from the top level after shim/, whose
# dynamic-linker probe gives the shared object its PT_INTERP (it is also a program).
set(CGLIMITS_QUERY_SOVERSION 1)
set(query_dir ${PROJECT_SOURCE_DIR}/lib)
get_directory_property(CGLIMITS_QUERY_INTERP DIRECTORY ${PROJECT_SOURCE_DIR}/shim
                       DEFINITION CGLIMITS_INTERP)

# The public calls over the view, shared by the shared object, the static archive and the
# test build.
add_library(cglimits_query_impl STATIC
  ${query_dir}/query.c
  ${query_dir}/query_fill.c
  ${query_dir}/json_render.c)
target_link_libraries(cglimits_query_impl PUBLIC cglimits_core)

add_library(cglimits_query_api OBJECT ${query_dir}/query_api.c)
target_link_libraries(cglimits_query_api PRIVATE cglimits_core)
target_compile_definitions(cglimits_query_api PRIVATE CGLIMITS_VERSION="${PROJECT_VERSION}")

add_library(cglimits_query SHARED $<TARGET_OBJECTS:cglimits_query_api> ${query_dir}/query_main.c)
target_link_libraries(cglimits_query PRIVATE cglimits_query_impl)
target_compile_definitions(cglimits_query PRIVATE CGLIMITS_INTERP="${CGLIMITS_QUERY_INTERP}"
                           CGLIMITS_VERSION="${PROJECT_VERSION}")
target_link_options(cglimits_query PRIVATE
  -Wl,--version-script=${query_dir}/cglimits-query.map -Wl,-e,cglimits_query_main
  -Wl,-z,now -Wl,-z,relro -Wl,--as-needed -Wl,--no-undefined)
set_target_properties(cglimits_query PROPERTIES
  OUTPUT_NAME cglimits-query
  VERSION ${CGLIMITS_QUERY_SOVERSION}.0.0
  SOVERSION ${CGLIMITS_QUERY_SOVERSION}
  LINK_DEPENDS ${query_dir}/cglimits-query.map
  PUBLIC_HEADER ${query_dir}/cglimits.h
  LIBRARY_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR})

# The static archive: one relocatable object whose hidden (internal) names are made local, so
# that a program linking it sees only the public names.
set(query_archive ${CMAKE_BINARY_DIR}/libcglimits-query.a)
set(query_relocatable ${CMAKE_CURRENT_BINARY_DIR}/cglimits-query-all.o)
add_custom_command(
  OUTPUT ${query_archive}
  COMMAND ${CMAKE_C_COMPILER} -r -nostdlib -o ${query_relocatable}
          $<TARGET_OBJECTS:cglimits_query_api> -Wl,--whole-archive
          $<TARGET_FILE:cglimits_query_impl> $<TARGET_FILE:cglimits_core>
          -Wl,--no-whole-archive
  COMMAND ${CMAKE_OBJCOPY} --localize-hidden ${query_relocatable}
  COMMAND ${CMAKE_COMMAND} -E rm -f ${query_archive}
  COMMAND ${CMAKE_AR} qcs ${query_archive} ${query_relocatable}
  DEPENDS cglimits_query_api cglimits_query_impl cglimits_core
  COMMAND_EXPAND_LISTS
  VERBATIM)
add_custom_target(cglimits_query_static ALL DEPENDS ${query_archive})

configure_file(${query_dir}/cglimits-query.pc.in ${CMAKE_BINARY_DIR}/cglimits-query.pc @ONLY)

# Debian layout: the runtime package has the versioned object (and the Python binding, which
# loads it), the -dev package the link-time name, the archive, the header and the .pc file.
set(CGLIMITS_PYTHON_DIR "lib/python3/dist-packages" CACHE STRING
    "Where the Python binding is installed, relative to the prefix")
install(TARGETS cglimits_query
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT query NAMELINK_COMPONENT querydev
                PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE
                            WORLD_READ WORLD_EXECUTE
        PUBLIC_HEADER DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT querydev)
install(FILES ${query_archive} DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT querydev)
install(FILES ${CMAKE_BINARY_DIR}/cglimits-query.pc
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig COMPONENT querydev)
install(FILES ${query_dir}/cglimits_memory.3 DESTINATION ${CMAKE_INSTALL_MANDIR}/man3
        COMPONENT querydev)
install(FILES ${query_dir}/python/cglimits.py DESTINATION ${CGLIMITS_PYTHON_DIR}
        COMPONENT query)

# Debian packages (CPack, configured at the top level): the shim's package as before
# (cglimits, the component of every install() without one), and for the public library the
# runtime package named after its soname and a -dev package that depends on it.
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL Unspecified query querydev)
set(CPACK_DEBIAN_ENABLE_COMPONENT_DEPENDS ON)
set(CPACK_DEBIAN_UNSPECIFIED_PACKAGE_NAME cglimits)
# cglimits --json runs the public library.
set(CPACK_DEBIAN_UNSPECIFIED_PACKAGE_RECOMMENDS libcglimits-query${CGLIMITS_QUERY_SOVERSION})
set(CPACK_DEBIAN_QUERY_PACKAGE_NAME libcglimits-query${CGLIMITS_QUERY_SOVERSION})
set(CPACK_DEBIAN_QUERY_PACKAGE_SECTION libs)
set(CPACK_DEBIAN_QUERY_DESCRIPTION
    "This package holds the public library of cglimits: libcglimits-query.so.1 answers how much memory a process may use, how much it uses,
how much it can still take and where the limit comes from (cgroup v1 or v2), with the
figures the cglimits preload library shows programs. Also the Python module cglimits.")
set(CPACK_DEBIAN_QUERYDEV_PACKAGE_NAME libcglimits-query-dev)
set(CPACK_DEBIAN_QUERYDEV_PACKAGE_SECTION libdevel)
set(CPACK_COMPONENT_QUERYDEV_DEPENDS query)
set(CPACK_DEBIAN_QUERYDEV_DESCRIPTION
    "The development files of libcglimits-query.so.1: the header cglimits.h, the static archive, the pkg-config file cglimits-query.pc
and the manual page cglimits_memory(3).")
