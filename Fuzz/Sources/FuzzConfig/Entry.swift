import CLibFuzzer

/// The program's entry (see CLibFuzzer.h): libFuzzer's driver, with this target's input function.
@_cdecl("FuzzConfig_main")
func fuzzConfigMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv) { data, size in
        guard let data else { return 0 }
        return fuzzConfig(data, size)
    }
}
