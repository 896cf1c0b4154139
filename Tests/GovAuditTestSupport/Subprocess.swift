import Foundation

/// Runs a program to its end, as a user would: its standard output, standard error and exit
/// status. Both pipes are read while it runs, so a child that writes much to one of them never
/// blocks on a full pipe.
public enum Subprocess {
    public struct Result: Sendable {
        public var out: String
        public var err: String
        public var status: Int32
    }

    public static func run(_ executable: URL, _ arguments: [String], directory: URL? = nil,
                           environment: [String: String] = [:]) throws -> Result {
        let p = Process()
        p.executableURL = executable
        p.arguments = arguments
        p.currentDirectoryURL = directory
        p.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        final class Box: @unchecked Sendable { var data = Data() }
        let errors = Box(), done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async { errors.data = err.fileHandleForReading.readDataToEndOfFile(); done.signal() }
        let output = out.fileHandleForReading.readDataToEndOfFile()
        done.wait()
        p.waitUntilExit()
        return Result(out: String(decoding: output, as: UTF8.self), err: String(decoding: errors.data, as: UTF8.self),
                      status: p.terminationStatus)
    }
}
