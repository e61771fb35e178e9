# How the test executables and suites become CTest entries.
#
# A GoogleTest executable:
# The normal tree: one entry per test (gtest_discover_tests), so that a failure names its
# test and `ctest -j` spreads the tests over the cores.
#
# A sanitizer tree (run.sh sets SALESCORE_GTEST_SHARDS): every start of an instrumented
# test executable (200 MB, ASan's shadow mapped, LSan's check at exit) costs about half a
# second of a core, so one entry per test spent about 8 of the whole ASan suite's minutes
# starting processes (993 starts, 2026-12-07). There each executable runs whole, split by
# GoogleTest's own sharding into SHARDS entries (default SALESCORE_GTEST_SHARDS) that
# `ctest -j` runs beside the pytest suites.
include_guard(GLOBAL)
include(GoogleTest)

set(SALESCORE_GTEST_SHARDS 0 CACHE STRING
    "0: one CTest entry per GoogleTest test; N: each test executable in N whole-process entries")
# An instrumented `salescore` and test executables run several times slower: their
# entries' time limits are multiplied by this (run.sh's sanitizer trees set it).
set(SALESCORE_TEST_TIMEOUT_SCALE 1 CACHE STRING "multiplies every CTest entry's TIMEOUT")

# salescore_test_timeout(SECONDS OUT_VAR): SECONDS times SALESCORE_TEST_TIMEOUT_SCALE.
function(salescore_test_timeout seconds out)
  math(EXPR scaled "${seconds} * ${SALESCORE_TEST_TIMEOUT_SCALE}")
  set(${out} ${scaled} PARENT_SCOPE)
endfunction()

# salescore_add_gtests(TARGET [SHARDS N] [COST C]): COST is the seconds one shard takes
# under a sanitizer, so that `ctest -j` starts the long entries first (a fresh tree has no
# timing data of its own).
function(salescore_add_gtests target)
  cmake_parse_arguments(ARG "" "SHARDS;COST" "" ${ARGN})
  if(SALESCORE_GTEST_SHARDS GREATER 0)
    set(shards ${SALESCORE_GTEST_SHARDS})
    if(ARG_SHARDS)
      set(shards ${ARG_SHARDS})
    endif()
    if(NOT ARG_COST)
      set(ARG_COST 10)
    endif()
    salescore_test_timeout(1500 timeout)
    math(EXPR last "${shards} - 1")
    foreach(index RANGE 0 ${last})
      set(name ${target})
      if(shards GREATER 1)
        set(name ${target}_shard${index})
      endif()
      add_test(NAME ${name} COMMAND $<TARGET_FILE:${target}> --gtest_brief=1)
      set_tests_properties(${name} PROPERTIES
        ENVIRONMENT "GTEST_TOTAL_SHARDS=${shards};GTEST_SHARD_INDEX=${index}"
        COST ${ARG_COST} TIMEOUT ${timeout})
    endforeach()
  else()
    gtest_discover_tests(${target} DISCOVERY_TIMEOUT 60)
  endif()
endfunction()

# The entries that run a suite again on a private PostgreSQL 15 (tests/postgres/
# with_postgres.sh; label `postgresql`). The normal tree runs each alone (RUN_SERIAL), as
# it has since the PostgreSQL store came. A sanitizer tree runs them one at a time but
# beside the other entries: alone, the ASan tree's three took 407 s with a core idle
# (salescore_tests on PostgreSQL 306 s of it), the longest stretch of the CI step.
option(SALESCORE_POSTGRES_ENTRIES_ALONE "run each postgresql-labelled CTest entry with no other entry beside it" ON)

# salescore_postgres_entry(NAME SECONDS COST): NAME's label, scaled time limit and how it
# shares the machine. COST (its seconds under ASan) only where it runs beside others: an
# entry that must run alone is left to the end, so that it does not hold a core idle
# while a long entry finishes.
function(salescore_postgres_entry name seconds cost)
  salescore_test_timeout(${seconds} timeout)
  if(SALESCORE_POSTGRES_ENTRIES_ALONE)
    set_tests_properties(${name} PROPERTIES RUN_SERIAL ON)
  else()
    set_tests_properties(${name} PROPERTIES RESOURCE_LOCK postgresql COST ${cost})
  endif()
  set_tests_properties(${name} PROPERTIES LABELS postgresql TIMEOUT ${timeout})
endfunction()
