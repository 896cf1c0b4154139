import CXlsxWriter
import Foundation

/// A workbook as values: sheets of typed cells under one header row. `write(to:)` hands it to
/// libxlsxwriter in one pass; that function is the only place that holds the C pointers.
/// A text cell is always a shared-string cell, never a formula, whatever its first character.
public struct XLSXWorkbook: Sendable {
    public var sheets: [XLSXSheet]
    /// Number formats, as Excel writes them ("dd/mm/yyyy", "0.0%").
    public var dateFormat: String
    public var dateTimeFormat: String
    public var percentFormat: String

    public init(sheets: [XLSXSheet], dateFormat: String, dateTimeFormat: String, percentFormat: String = "0.0%") {
        self.sheets = sheets
        self.dateFormat = dateFormat
        self.dateTimeFormat = dateTimeFormat
        self.percentFormat = percentFormat
    }
}

public struct XLSXSheet: Sendable {
    public var name: String
    public var columns: [XLSXColumn]
    public var rows: [[XLSXCell]]

    public init(name: String, columns: [XLSXColumn], rows: [[XLSXCell]]) {
        self.name = name
        self.columns = columns
        self.rows = rows
    }
}

public struct XLSXColumn: Sendable {
    public var header: String
    /// In Excel's character units.
    public var width: Double

    public init(_ header: String, width: Double) {
        self.header = header
        self.width = width
    }
}

public enum XLSXCell: Sendable, Equatable {
    case text(String)
    case number(Double)
    /// A share as a fraction (0.942), shown with the workbook's percent format.
    case percent(Double)
    case date(year: Int, month: Int, day: Int)
    case dateTime(year: Int, month: Int, day: Int, hour: Int, minute: Int)
    case blank

    /// Excel's limit on a cell's text, in UTF-16 units (libxlsxwriter counts characters, which
    /// is never more).
    public static let maxTextLength = 32_767
}

/// libxlsxwriter refused the workbook: its message, and the sheet and cell when there is one.
public struct XLSXError: Error, Sendable, CustomStringConvertible {
    public var description: String
}

extension XLSXWorkbook {
    /// Writes the workbook to `path` (libxlsxwriter writes the file itself; its temporary files
    /// go to `temporaryFolder`).
    public func write(to path: String, temporaryFolder: String) throws {
        // The folder's name stays allocated until the workbook is closed, whether or not the
        // library copies it.
        let tmp = strdup(temporaryFolder)
        defer { free(tmp) }
        var options = lxw_workbook_options()
        options.tmpdir = tmp
        let book = workbook_new_opt(path, &options)
        guard let book else { throw XLSXError(description: "libxlsxwriter could not start a workbook at \(path)") }
        // The workbook is closed (and freed) even when a cell failed; the first failure is kept.
        var failure = fill(book)
        let closed = workbook_close(book)
        if failure == nil, closed != LXW_NO_ERROR { failure = String(cString: lxw_strerror(closed)) }
        if let failure { throw XLSXError(description: failure) }
    }

    private func fill(_ book: UnsafeMutablePointer<lxw_workbook>) -> String? {
        var failure: String?
        let header = workbook_add_format(book)
        format_set_bold(header)
        format_set_bottom(header, UInt8(LXW_BORDER_THIN.rawValue))
        format_set_text_wrap(header)
        format_set_align(header, UInt8(LXW_ALIGN_VERTICAL_TOP.rawValue))
        let wrap = workbook_add_format(book)
        format_set_text_wrap(wrap)
        format_set_align(wrap, UInt8(LXW_ALIGN_VERTICAL_TOP.rawValue))
        func numberFormat(_ code: String) -> UnsafeMutablePointer<lxw_format>? {
            let f = workbook_add_format(book)
            format_set_num_format(f, code)
            format_set_align(f, UInt8(LXW_ALIGN_VERTICAL_TOP.rawValue))
            return f
        }
        let percent = numberFormat(percentFormat), date = numberFormat(dateFormat)
        let dateTime = numberFormat(dateTimeFormat), plain = numberFormat("General")

        func check(_ e: lxw_error, _ sheet: String, _ row: Int, _ col: Int) {
            if e != LXW_NO_ERROR, failure == nil {
                failure = "sheet \(sheet), row \(row + 1), column \(col + 1): " + String(cString: lxw_strerror(e))
            }
        }
        for sheet in sheets {
            guard let ws = workbook_add_worksheet(book, sheet.name) else {
                return "libxlsxwriter refused the sheet name '\(sheet.name)'"
            }
            for (c, column) in sheet.columns.enumerated() {
                check(worksheet_set_column(ws, lxw_col_t(c), lxw_col_t(c), column.width, nil), sheet.name, 0, c)
                check(worksheet_write_string(ws, 0, lxw_col_t(c), column.header, header), sheet.name, 0, c)
            }
            for (r, row) in sheet.rows.enumerated() {
                let rr = lxw_row_t(r + 1)
                for (c, cell) in row.enumerated() {
                    let cc = lxw_col_t(c)
                    let e: lxw_error
                    switch cell {
                    case .text(let s): e = worksheet_write_string(ws, rr, cc, s, wrap)
                    case .number(let d): e = worksheet_write_number(ws, rr, cc, d, plain)
                    case .percent(let d): e = worksheet_write_number(ws, rr, cc, d, percent)
                    case .date(let y, let m, let d):
                        var value = lxw_datetime(year: Int32(y), month: Int32(m), day: Int32(d), hour: 0, min: 0, sec: 0)
                        e = worksheet_write_datetime(ws, rr, cc, &value, date)
                    case .dateTime(let y, let m, let d, let h, let mi):
                        var value = lxw_datetime(year: Int32(y), month: Int32(m), day: Int32(d), hour: Int32(h), min: Int32(mi), sec: 0)
                        e = worksheet_write_datetime(ws, rr, cc, &value, dateTime)
                    case .blank: e = LXW_NO_ERROR
                    }
                    check(e, sheet.name, r + 1, c)
                }
            }
            if !sheet.columns.isEmpty {
                check(worksheet_autofilter(ws, 0, 0, lxw_row_t(sheet.rows.count), lxw_col_t(sheet.columns.count - 1)), sheet.name, 0, 0)
            }
            worksheet_freeze_panes(ws, 1, 0)
        }
        return failure
    }
}
