/// A count as infra's pictures and notes write it: thousands grouped with commas
/// (251,883), one way everywhere.
public func grouped(_ n: Int) -> String {
    let s = String(n.magnitude)
    var out = n < 0 ? "-" : ""
    for (i, c) in s.enumerated() {
        if i > 0 && (s.count - i) % 3 == 0 { out += "," }
        out.append(c)
    }
    return out
}
