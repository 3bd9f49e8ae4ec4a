// libFuzzer's driver, linked only in fuzz builds: a weak reference is null otherwise, so the fuzz
// target also builds (and says how to build it properly) in the normal build.
#include "driver.h"

extern int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *, size_t)) __attribute__((weak));

int gradbook_run_fuzzer(int *argc, char ***argv, int (*callback)(const uint8_t *, size_t)) {
    if (!LLVMFuzzerRunDriver) return -1;
    return LLVMFuzzerRunDriver(argc, argv, callback);
}
