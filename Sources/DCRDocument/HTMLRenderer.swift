/// One self-contained HTML file: inline CSS and SVG, no external resource, a print stylesheet
/// for A4. Every printed number carries its exact value in `data-count` (hidden cells carry
/// `data-suppressed`), so a browser test can compare the page with `dcrctl report --json`.
public enum HTMLRenderer {
    public static func render(_ d: Document) -> String {
        let l = d.language
        var body = ""
        body += "<header><h1>\(escape(d.title))</h1>"
        body += "<p class=\"period\">\(escape(l.text(.period))): <span id=\"period\">\(escape(l.date(d.period.from))) – \(escape(l.date(d.period.to)))</span></p>"
        body += "<p class=\"mark \(d.publicThreshold == nil ? "internal" : "public")\" id=\"mark\">\(escape(l.text(d.publicThreshold == nil ? .internalMark : .publicMark)))</p></header>\n"
        var notes: [String] = []
        var anySuppressed = false
        var anyEstimate = false
        for section in d.sections {
            switch section {
            case .table(let t):
                let (html, suppressed) = table(t, d)
                body += html
                anySuppressed = anySuppressed || suppressed
                anyEstimate = anyEstimate || t.scale != nil
                if let s = t.scale {
                    notes.append(format(l.text(.estimateNote), "\(l.date(d.period.from))–\(l.date(d.period.to))", "× " + l.decimal(s, places: s == s.rounded() ? 0 : 2)))
                }
            case .chart(let c):
                body += chart(c, d)
            }
        }
        if let t = d.publicThreshold, anySuppressed {
            notes.insert(l.text(.suppressedNote).replacingOccurrences(of: "%d", with: "\(t)"), at: 0)
            notes.append(l.text(.secondaryNote))
        }
        notes.append(l.text(.sharesNote))
        body += "<footer><ul>" + Set(notes).sorted().map { "<li>\(escape($0))</li>" }.joined() + "</ul>"
        body += "<p>\(escape(l.text(.generated))), \(escape(d.madeAt)).</p></footer>\n"
        _ = anyEstimate
        return """
            <!DOCTYPE html>
            <html lang="\(l.rawValue)"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escape(d.title))</title>
            <style>\(css)</style></head>
            <body>
            \(body)</body></html>

            """
    }

    static let css = """
        body{font-family:"DejaVu Sans","Liberation Sans",Arial,sans-serif;color:#111;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.35}
        h1{font-size:1.6rem;margin:0 0 .3rem}h2{font-size:1.1rem;margin:1.6rem 0 .5rem}
        .period{margin:0;color:#333}.mark{display:inline-block;padding:.15rem .5rem;border:2px solid;font-weight:bold;margin:.5rem 0}
        .mark.internal{color:#8a1c1c}.mark.public{color:#1c5a2a}
        table{border-collapse:collapse;margin:.3rem 0 1rem;font-variant-numeric:tabular-nums}
        th,td{border-bottom:1px solid #bbb;padding:.25rem .6rem;text-align:right}th:first-child,td:first-child{text-align:left}
        thead th{border-bottom:2px solid #333}tr.total td,tr.total th{font-weight:bold;border-top:2px solid #333}
        td.share{color:#444}td.estimate,th.estimate{font-style:italic;background:#fdf3d6;color:#5a4200}
        td.hidden{color:#666}
        svg{max-width:100%;height:auto}svg text{font-size:11px;fill:#222}svg rect.bar{fill:#2b5c8a}
        footer{margin-top:2rem;font-size:.85rem;color:#333;border-top:1px solid #999}
        section{break-inside:avoid;page-break-inside:avoid}
        @page{size:A4;margin:18mm 16mm}
        @media print{body{margin:0;max-width:none;font-size:10.5pt}section{break-inside:avoid}h2{break-after:avoid}}
        """

    static func table(_ t: TableSection, _ d: Document) -> (String, Bool) {
        let l = d.language
        let values = t.rows.map(\.values)
        let totals: [UInt64] = t.rowTotals ?? values.map { $0.reduce(0, +) }
        // Suppression sees the table as printed: cells, row totals (when shown or implied by shares),
        // column totals.
        let publishRowTotals = t.hasRowTotals || t.columns.count > 1 || t.rowShares
        let sup = d.publicThreshold.map {
            SuppressedTable(values: values, columns: t.columns.count, threshold: $0, rowTotals: publishRowTotals,
                            columnTotals: t.columnTotals || (t.columns.count == 1 && !publishRowTotals))
        }
        var h = "<section id=\"\(t.id)\"><h2>\(escape(t.title))</h2><table data-table=\"\(t.id)\"><thead><tr><th>\(escape(t.rowHeader))</th>"
        for c in t.columns {
            h += "<th>\(escape(c.label))</th>"
            if t.rowShares { h += "<th>\(escape(l.text(.share)))</th>" }
        }
        if publishRowTotals && t.columns.count > 1 {
            h += "<th>\(escape(l.text(.total)))</th>"
            if t.rowShares { h += "<th>\(escape(l.text(.share)))</th>" }
        }
        if t.rowChange { h += "<th>\(escape(l.text(.change)))</th>" }
        if t.scale != nil { h += "<th class=\"estimate\">\(escape(l.text(.estimate))) \(escape(l.text(.total).lowercased()))</th>" }
        h += "</tr></thead><tbody>"
        func cell(_ c: SuppressedTable.Cell?, _ exact: UInt64, row: String, col: String, share: Int?) -> String {
            let attrs = "data-row=\"\(escape(row))\" data-col=\"\(escape(col))\""
            switch c {
            case .small?: return "<td class=\"hidden\" \(attrs) data-suppressed=\"small\">&lt;\(d.publicThreshold!)</td>" + (t.rowShares ? "<td class=\"share\">–</td>" : "")
            case .complementary?: return "<td class=\"hidden\" \(attrs) data-suppressed=\"complementary\">×</td>" + (t.rowShares ? "<td class=\"share\">–</td>" : "")
            default:
                let s = t.rowShares ? "<td class=\"share\" \(attrs) data-share=\"\(share.map(String.init) ?? "")\">\(share.map(l.percent) ?? "–")</td>" : ""
                return "<td \(attrs) data-count=\"\(exact)\">\(l.count(exact))</td>" + s
            }
        }
        for (r, row) in t.rows.enumerated() {
            h += "<tr><th scope=\"row\">\(escape(row.label))</th>"
            for (c, v) in row.values.enumerated() {
                h += cell(sup?.cells[r][c], v, row: row.key, col: t.columns[c].key, share: Share.percent(v, of: totals[r]))
            }
            if publishRowTotals && t.columns.count > 1 {
                h += cell(sup?.rowTotals?[r], totals[r], row: row.key, col: "total", share: Share.percent(totals[r], of: totals[r]))
            }
            if t.rowChange { h += change(r == 0 ? nil : totals[r - 1], totals[r], hidden: sup?.anySuppressed ?? false, l) }
            if let s = t.scale { h += estimate(sup?.rowTotals?[r] ?? (t.columns.count == 1 ? sup?.cells[r][0] : nil), totals[r], s, l) }
            h += "</tr>"
        }
        if t.columnTotals {
            h += "<tr class=\"total\"><th scope=\"row\">\(escape(l.text(.total)))</th>"
            for c in t.columns.indices {
                let sum = values.reduce(0) { $0 + $1[c] }
                h += cell(sup?.columnTotals?[c], sum, row: "total", col: t.columns[c].key, share: nil)
            }
            if publishRowTotals && t.columns.count > 1 {
                let g = totals.reduce(0, +)
                h += cell(sup?.grandTotal, g, row: "total", col: "total", share: nil)
            }
            if t.rowChange { h += "<td></td>" }
            if let s = t.scale { h += estimate(sup?.grandTotal, totals.reduce(0, +), s, l) }
            h += "</tr>"
        }
        h += "</tbody></table></section>\n"
        return (h, sup?.anySuppressed ?? false)
    }

    /// The change against the row before, in whole percent from the exact counts.
    static func change(_ before: UInt64?, _ now: UInt64, hidden: Bool, _ l: Language) -> String {
        guard let before, before > 0, !hidden else { return "<td class=\"share\">–</td>" }
        let diff = Int64(now) - Int64(before)
        let p = Int64((Double(diff) * 100 / Double(before)).rounded())
        return "<td class=\"share\" data-change=\"\(p)\">\(p > 0 ? "+" : p < 0 ? "−" : "±")\(l.percent(Int(abs(p))))</td>"
    }

    static func estimate(_ c: SuppressedTable.Cell?, _ n: UInt64, _ s: Double, _ l: Language) -> String {
        if let c, c.isHidden { return "<td class=\"estimate hidden\">–</td>" }
        let e = (Double(n) * s).rounded()
        return "<td class=\"estimate\" data-estimate=\"\(Int64(e))\">\(l.count(UInt64(max(0, e))))</td>"
    }

    /// Inline SVG bars; in a public document a bar below the threshold is drawn empty and
    /// labelled "<N", like its table cell.
    static func chart(_ c: ChartSection, _ d: Document) -> String {
        let l = d.language
        let t = d.publicThreshold
        let hidden = { (v: UInt64) in t.map { v > 0 && v < $0 } ?? false }
        let maxValue = max(1, c.bars.map { hidden($0.value) ? 0 : $0.value }.max() ?? 1)
        var s = "<section id=\"\(c.id)\"><h2>\(escape(c.title))</h2>"
        if c.horizontal {
            let rowH = 22, labelW = 190, barW = 420, height = rowH * c.bars.count + 10
            s += "<svg data-chart=\"\(c.id)\" viewBox=\"0 0 \(labelW + barW + 70) \(height)\" width=\"\(labelW + barW + 70)\" height=\"\(height)\" role=\"img\" aria-label=\"\(escape(c.title))\">"
            for (i, b) in c.bars.enumerated() {
                let y = i * rowH + 5
                let w = hidden(b.value) ? 0 : Int(Double(barW) * Double(b.value) / Double(maxValue))
                let label = hidden(b.value) ? "&lt;\(t!)" : l.count(b.value)
                s += "<text x=\"\(labelW - 6)\" y=\"\(y + 15)\" text-anchor=\"end\">\(escape(b.label))</text>"
                s += "<rect class=\"bar\" x=\"\(labelW)\" y=\"\(y + 3)\" width=\"\(w)\" height=\"\(rowH - 6)\" data-key=\"\(escape(b.key))\"\(hidden(b.value) ? " data-suppressed=\"small\"" : " data-count=\"\(b.value)\"")/>"
                s += "<text x=\"\(labelW + w + 5)\" y=\"\(y + 15)\">\(label)</text>"
            }
        } else {
            let plotH = 180, gap = 2, width = 640
            let barW = max(2, (width - 50) / max(1, c.bars.count) - gap)
            let height = plotH + 95
            let every = max(1, c.bars.count / 16)
            s += "<svg data-chart=\"\(c.id)\" viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" height=\"\(height)\" role=\"img\" aria-label=\"\(escape(c.title))\">"
            s += "<text x=\"0\" y=\"12\">\(l.count(maxValue))</text><line x1=\"40\" y1=\"\(plotH + 10)\" x2=\"\(width)\" y2=\"\(plotH + 10)\" stroke=\"#333\"/>"
            for (i, b) in c.bars.enumerated() {
                let x = 45 + i * (barW + gap)
                let h = hidden(b.value) ? 0 : Int(Double(plotH) * Double(b.value) / Double(maxValue))
                s += "<rect class=\"bar\" x=\"\(x)\" y=\"\(plotH + 10 - h)\" width=\"\(barW)\" height=\"\(h)\" data-key=\"\(escape(b.key))\"\(hidden(b.value) ? " data-suppressed=\"small\"" : " data-count=\"\(b.value)\"")><title>\(escape(b.label)): \(hidden(b.value) ? "&lt;\(t!)" : l.count(b.value))</title></rect>"
                if i % every == 0 {
                    s += "<text x=\"\(x)\" y=\"\(plotH + 24)\" transform=\"rotate(45 \(x) \(plotH + 24))\">\(escape(b.label))</text>"
                }
            }
        }
        s += "</svg></section>\n"
        return s
    }

    static func format(_ template: String, _ a: String, _ b: String) -> String {
        var out = template
        if let r = out.range(of: "%@") { out.replaceSubrange(r, with: a) }
        if let r = out.range(of: "%@") { out.replaceSubrange(r, with: b) }
        return out
    }

    public static func escape(_ s: String) -> String {
        var out = ""
        for ch in s {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(ch)
            }
        }
        return out
    }
}
