/// The language of a council document: Danish by default, with the seeds' own words and
/// Danish number and date format (7.826; 18.12.2022); English for everyone else.
public enum Language: String, Sendable, CaseIterable {
    case da, en

    /// 7826 → "7.826" (da) or "7,826" (en): digit groups of three, no decimals.
    public func count(_ n: UInt64) -> String {
        let digits = Array(String(n))
        var out = ""
        for (i, d) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(self == .da ? "." : ",") }
            out.append(d)
        }
        return out
    }

    /// A share already rounded to a whole percent: "83 %" (da) or "83%" (en).
    public func percent(_ p: Int) -> String { self == .da ? "\(p) %" : "\(p)%" }

    /// A decimal with `places` digits: "1,5" (da) or "1.5" (en).
    public func decimal(_ x: Double, places: Int) -> String {
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let rounded = (abs(x) * scale).rounded()
        let whole = UInt64(rounded / scale)
        let frac = UInt64(rounded) - whole * UInt64(scale)
        var s = (x < 0 && rounded > 0 ? "-" : "") + count(whole)
        if places > 0 {
            var f = String(frac)
            while f.count < places { f = "0" + f }
            s += (self == .da ? "," : ".") + f
        }
        return s
    }

    /// "2022-12-18" → "18.12.2022" (da); unchanged (ISO 8601) in English.
    public func date(_ iso: String) -> String {
        let parts = iso.split(separator: "-")
        guard self == .da, parts.count == 3 else { return iso }
        return "\(parts[2]).\(parts[1]).\(parts[0])"
    }

    /// A key of a report row in words: "male" → "Mænd", "2016-W33" → "Uge 33 2016".
    public func key(_ key: String, of dimension: String) -> String {
        if let word = Vocabulary.words[self]?[dimension + ":" + key] { return word }
        switch dimension {
        case "date": return date(key)
        case "week":
            let p = key.split(separator: "-W")
            return p.count == 2 ? (self == .da ? "Uge \(p[1]) \(p[0])" : "Week \(p[1]) \(p[0])") : key
        case "month":
            let p = key.split(separator: "-")
            guard p.count == 2, let m = Int(p[1]), (1...12).contains(m) else { return key }
            return "\(Vocabulary.months[self]![m - 1]) \(p[0])"
        case "incident-kind", "target":
            // English words are the labels themselves: "needle-stick-injury" → "Needle stick injury".
            let words = key.replacingOccurrences(of: "-", with: " ")
            return words.prefix(1).uppercased() + words.dropFirst()
        default: return key
        }
    }

    /// A fixed phrase of the document.
    public func text(_ phrase: Vocabulary.Phrase) -> String { Vocabulary.phrases[phrase]![self == .da ? 0 : 1] }
}
