// libFuzzer's entry for programs that bring their own main (compiler-rt FuzzerDriver.cpp).
//
// SwiftPM renames an executable target's entry point to <Module>_main and links with
// --defsym main=<Module>_main, so libFuzzer's own main() is never used; each target's
// <Module>_main hands control to libFuzzer through this function instead.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
