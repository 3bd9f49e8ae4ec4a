// libFuzzer's driver, linked only in fuzz builds: a weak reference is null otherwise, so the fuzz
// target also builds (and says how to build it properly) in the normal build.
#include "driver.h"

extern int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *, size_t)) __attribute__((weak));

int gradbook_run_fuzzer(int *argc, char ***argv, int (*callback)(const uint8_t *, size_t)) {
    if (!LLVMFuzzerRunDriver) return -1;
    return LLVMFuzzerRunDriver(argc, argv, callback);
}

// libFuzzer's own main, which the debug link pulls from its archive, needs this symbol; gradbook's
// main runs the fuzzer through LLVMFuzzerRunDriver instead, so it is never called.
__attribute__((weak)) int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) { (void)data; (void)size; return 0; }
