/// A small JSON writer: dcrctl's machine output and the wall screen's load, without Foundation.
///
/// Every document starts with `"version": 1`; field names never change meaning. "<" is written
/// as \u003c, so a document stays inert inside an HTML page or an event stream.
public indirect enum JSON: Sendable {
    case string(String)
    case int(Int64)
    case uint(UInt64)
    case double(Double)
    case bool(Bool)
    case array([JSON])
    case object([(String, JSON)])
    case null

    public func render() -> String {
        switch self {
        case .string(let s): return Self.quote(s)
        case .int(let i): return String(i)
        case .uint(let u): return String(u)
        case .double(let d): return d.isFinite ? String(format3(d)) : "null"
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        case .array(let a): return "[" + a.map { $0.render() }.joined(separator: ",") + "]"
        case .object(let o): return "{" + o.map { Self.quote($0.0) + ":" + $0.1.render() }.joined(separator: ",") + "}"
        }
    }

    private func format3(_ d: Double) -> String {
        let r = (d * 1000).rounded() / 1000
        return r == r.rounded() && abs(r) < 1e15 ? String(Int64(r)) : String(r)
    }

    public static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<": out += "\\u003c"
            default:
                if u.value < 0x20 {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }
}
