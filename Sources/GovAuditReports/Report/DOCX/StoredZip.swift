import Foundation

/// A ZIP archive of stored (uncompressed) entries: what an OOXML package needs and no more.
/// Word and LibreOffice read stored entries; a few hundred kilobytes of XML need no deflate.
/// Entries get a fixed timestamp (1980-01-01), so the same report gives the same bytes.
struct StoredZip {
    private(set) var data = Data()
    private var central = Data()
    private var count = 0

    mutating func add(_ name: String, _ content: Data) {
        let nameBytes = Data(name.utf8)
        let crc = CRC32.checksum(content)
        let offset = UInt32(data.count)
        // Local file header.
        data.append(le32: 0x0403_4B50)
        data.append(le16: 20)            // version needed: 2.0
        data.append(le16: 0x0800)        // flags: names are UTF-8
        data.append(le16: 0)             // method: stored
        data.append(le16: 0)             // time 00:00
        data.append(le16: 0x21)          // date 1980-01-01
        data.append(le32: crc)
        data.append(le32: UInt32(content.count))
        data.append(le32: UInt32(content.count))
        data.append(le16: UInt16(nameBytes.count))
        data.append(le16: 0)
        data.append(nameBytes)
        data.append(content)
        // Its central-directory record.
        central.append(le32: 0x0201_4B50)
        central.append(le16: 20)         // made by: 2.0
        central.append(le16: 20)
        central.append(le16: 0x0800)
        central.append(le16: 0)
        central.append(le16: 0)
        central.append(le16: 0x21)
        central.append(le32: crc)
        central.append(le32: UInt32(content.count))
        central.append(le32: UInt32(content.count))
        central.append(le16: UInt16(nameBytes.count))
        central.append(le16: 0)          // extra
        central.append(le16: 0)          // comment
        central.append(le16: 0)          // disk
        central.append(le16: 0)          // internal attributes
        central.append(le32: 0)          // external attributes
        central.append(le32: offset)
        central.append(nameBytes)
        count += 1
    }

    /// The archive: the entries, the central directory and its end record.
    func finished() -> Data {
        var out = data
        let start = UInt32(out.count)
        out.append(central)
        out.append(le32: 0x0605_4B50)
        out.append(le16: 0)
        out.append(le16: 0)
        out.append(le16: UInt16(count))
        out.append(le16: UInt16(count))
        out.append(le32: UInt32(central.count))
        out.append(le32: start)
        out.append(le16: 0)
        return out
    }
}

/// CRC-32 as ZIP uses it (IEEE 802.3, reflected, polynomial 0xEDB88320).
enum CRC32 {
    static let table: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func checksum(_ data: Data) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for byte in data { c = table[Int((c ^ UInt32(byte)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }
}

extension Data {
    mutating func append(le16 v: UInt16) { append(contentsOf: [UInt8(v & 0xFF), UInt8(v >> 8)]) }
    mutating func append(le32 v: UInt32) {
        append(contentsOf: [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF), UInt8((v >> 16) & 0xFF), UInt8(v >> 24)])
    }
}
