#include <stddef.h>
#include <stdint.h>

/// Runs libFuzzer's driver with `callback`, or returns -1 when this binary was built without
/// `-sanitize=fuzzer` (libFuzzer absent).
int gradbook_run_fuzzer(int *argc, char ***argv, int (*callback)(const uint8_t *, size_t));
