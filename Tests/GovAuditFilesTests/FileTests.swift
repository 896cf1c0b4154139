import Foundation
import GovAuditCore
import Testing
@testable import GovAuditFiles

/// A fresh folder per test, removed afterwards.
final class Scratch {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("ga-files-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String, _ text: String = "") throws -> String {
        let p = "\(path)/\(name)"
        try Data(text.utf8).write(to: URL(fileURLWithPath: p))
        return p
    }
}

@Suite("Input files: bounded reads of regular files")
struct InputFileTests {
    @Test("a regular file is read whole; a leading byte-order mark is dropped from text")
    func regular() throws {
        let s = try Scratch()
        let p = try s.file("a.yaml", "\u{FEFF}name: Tỉnh An Giang\n")
        #expect(try InputFile.text(p, limit: 1024) == "name: Tỉnh An Giang\n")
        #expect(try InputFile.read(p, limit: 1024).count == "\u{FEFF}name: Tỉnh An Giang\n".utf8.count)
    }

    @Test("endless and non-regular files are refused with a plain message, without reading them",
          arguments: ["/dev/zero", "/dev/urandom", "/dev/null", "/tmp"])
    func notRegular(path: String) throws {
        let e = try #require(throws: InputError.self) { try InputFile.read(path, limit: 1 << 20) }
        #expect(e.description.hasPrefix("\(path): not a regular file ("))
    }

    @Test("a FIFO is refused at once: opening it does not wait for a writer")
    func fifo() throws {
        let s = try Scratch()
        let p = "\(s.path)/pipe"
        #expect(mkfifo(p, 0o600) == 0)
        let e = try #require(throws: InputError.self) { try InputFile.read(p, limit: 1 << 20) }
        #expect(e.description == "\(p): not a regular file (a FIFO); give a file")
    }

    @Test("a file over the limit is refused; a missing file says so")
    func limits() throws {
        let s = try Scratch()
        let p = try s.file("big.csv", String(repeating: "x", count: 2 << 20 + 1))
        let e = try #require(throws: InputError.self) { try InputFile.read(p, limit: 2 << 20) }
        #expect(e.description == "\(p): too large: more than 2 MiB, the most read for this kind of file")
        let missing = try #require(throws: InputError.self) { try InputFile.read("\(s.path)/none.yaml", limit: 10) }
        #expect(missing.description == "\(s.path)/none.yaml: cannot read the file: no such file")
    }

    @Test("not UTF-8: the message names the line and the byte")
    func notUTF8() throws {
        let s = try Scratch()
        let p = "\(s.path)/cp1258.yaml"
        try Data(Array("version: 1\nname: ".utf8) + [0x54, 0xD5, 0x6E, 0x68] + Array("\n".utf8)).write(to: URL(fileURLWithPath: p))
        let e = try #require(throws: InputError.self) { try InputFile.text(p, limit: 1024) }
        #expect(e.description == "\(p):2: not UTF-8 text: byte 0xD5 at column 8 cannot be decoded; save the file as UTF-8")
    }
}

@Suite("Output files: atomic 0600 writes to regular files only")
struct OutputFileTests {
    func bytes(_ path: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) }

    func mode(_ path: String) -> mode_t {
        var info = stat()
        _ = stat(path, &info)
        return info.st_mode & 0o777
    }

    @Test("a new report is written with mode 0600; an old one is replaced whole, and no temporary file is left")
    func writes() throws {
        let s = try Scratch()
        let p = "\(s.path)/report.txt"
        try OutputFile(p, option: "--out", inputs: []).write(Array("một\n".utf8))
        #expect(try bytes(p) == Array("một\n".utf8))
        #expect(mode(p) == 0o600)
        _ = try s.file("old.txt", "old report")
        #expect(chmod("\(s.path)/old.txt", 0o644) == 0)
        try OutputFile("\(s.path)/old.txt", option: "--out", inputs: []).write(Array("new".utf8))
        #expect(try bytes("\(s.path)/old.txt") == Array("new".utf8))
        #expect(mode("\(s.path)/old.txt") == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: s.path).sorted() == ["old.txt", "report.txt"])
    }

    @Test("a directory, a device, a FIFO and a symbolic link are refused, and stay as they were")
    func refusals() throws {
        let s = try Scratch()
        let real = try s.file("real.txt", "keep")
        try FileManager.default.createSymbolicLink(atPath: "\(s.path)/link.txt", withDestinationPath: real)
        #expect(mkfifo("\(s.path)/fifo", 0o600) == 0)
        let cases = [(s.path, "is a directory, not a regular file; give a file name inside it"),
                     ("/dev/null", "is a device, not a regular file"),
                     ("\(s.path)/fifo", "is a FIFO, not a regular file"),
                     ("\(s.path)/link.txt", "is a symbolic link, not a regular file; give the real file's path"),
                     ("\(s.path)/none/r.txt", "the folder \(s.path)/none does not exist")]
        for (path, message) in cases {
            let e = try #require(throws: InputError.self) { try OutputFile(path, option: "--out", inputs: []) }
            #expect(e.description == "\(path): --out: \(message)")
        }
        #expect(try bytes(real) == Array("keep".utf8))
        #expect(FileManager.default.fileExists(atPath: "/dev/null"))
    }

    @Test("an input of the run is refused, by any path: itself, a hard link, a symbolic link to it")
    func inputs() throws {
        let s = try Scratch()
        let inventory = try s.file("inv.yaml", "version: 1\n")
        #expect(link(inventory, "\(s.path)/hard.yaml") == 0)
        try FileManager.default.createSymbolicLink(atPath: "\(s.path)/soft.yaml", withDestinationPath: inventory)
        let same = try #require(throws: InputError.self) { try OutputFile(inventory, option: "--out", inputs: [inventory]) }
        #expect(same.description == "\(inventory): --out: is also an input of this run; write the report elsewhere")
        let hard = try #require(throws: InputError.self) { try OutputFile("\(s.path)/hard.yaml", option: "--out", inputs: [inventory]) }
        #expect(hard.description == "\(s.path)/hard.yaml: --out: is the same file as the input \(inventory); write the report elsewhere")
        // The input named through a link is still the same file.
        #expect(throws: InputError.self) { try OutputFile(inventory, option: "--out", inputs: ["\(s.path)/soft.yaml"]) }
        #expect(try bytes(inventory) == Array("version: 1\n".utf8))
    }

    @Test("a target replaced by a symbolic link after the check is refused at write time, untouched")
    func recheck() throws {
        let s = try Scratch()
        let victim = try s.file("victim.txt", "keep")
        let out = try OutputFile("\(s.path)/report.txt", option: "--out", inputs: [])
        try FileManager.default.createSymbolicLink(atPath: "\(s.path)/report.txt", withDestinationPath: victim)
        #expect(throws: InputError.self) { try out.write(Array("x".utf8)) }
        #expect(try bytes(victim) == Array("keep".utf8))
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: "\(s.path)/report.txt") == victim)
    }
}
