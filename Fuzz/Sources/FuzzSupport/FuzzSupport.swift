import CLibFuzzer
import Foundation

/// One fuzz input, as libFuzzer hands it to `LLVMFuzzerTestOneInput`.
public typealias FuzzCallback = @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32

/// Hands the process to libFuzzer. A Swift executable has its own `main`, so libFuzzer's is never
/// linked in: without this call a `-sanitize=fuzzer` build would run once and fuzz nothing.
public func runFuzzer(_ callback: FuzzCallback) -> Never {
    var argc = CommandLine.argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
    let status = withUnsafeMutablePointer(to: &argv) { argvPointer in
        argvPointer.withMemoryRebound(to: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?.self, capacity: 1) {
            LLVMFuzzerRunDriver(&argc, $0, callback)
        }
    }
    exit(status)
}

/// The input as bytes (libFuzzer may pass a null pointer for the empty input).
public func bytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
    guard let data, size > 0 else { return [] }
    return Array(UnsafeBufferPointer(start: data, count: size))
}

/// The input split at NUL bytes: several texts from one input (a policy and its rule files).
public func parts(_ input: [UInt8]) -> [[UInt8]] {
    input.split(separator: 0, omittingEmptySubsequences: false).map(Array.init)
}

/// A fact the harness checks about a result (not a crash of the code under test, but as bad):
/// libFuzzer records the input when this traps.
public func require(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if !condition() {
        FileHandle.standardError.write(Data("fuzz: property violated: \(message())\n".utf8))
        abort()
    }
}

/// A path in the repository (the policy, test fixtures); GOVAUDIT_POLICY overrides "Policies".
public func repository(_ relative: String, _ file: String = #filePath) -> String {
    if relative == "Policies", let env = ProcessInfo.processInfo.environment["GOVAUDIT_POLICY"], !env.isEmpty { return env }
    // Fuzz/Sources/FuzzSupport/FuzzSupport.swift → the repository root is four levels up.
    var url = URL(fileURLWithPath: file)
    for _ in 0..<4 { url.deleteLastPathComponent() }
    return url.appendingPathComponent(relative).path
}
