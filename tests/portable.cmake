# Configures, builds and tests a copy of the project as if the machine had no SSE2 (the
# macro undefined): the byte loops of decode, normalize and the trigger scan alone, as other
# machines than x86-64 run them.
execute_process(COMMAND ${CMAKE_COMMAND} -S ${SRC} -B ${BIN} -DCMAKE_BUILD_TYPE=RelWithDebInfo
                        -DCMAKE_C_FLAGS=-U__SSE2__ -DVNX_SKIP_SANITIZER_SUITE=ON
                RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "portable build: configure failed")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BIN} -j 2 --target vnextract_cli test_units RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "portable build: build failed")
endif()
execute_process(COMMAND ${CMAKE_CTEST_COMMAND} --test-dir ${BIN} --output-on-failure
                        -R "^(units|rule_examples|corpus_gold|prefilter_and_threads)$"
                RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "portable build: tests failed")
endif()
