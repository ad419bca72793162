/// Shares as every report prints them: one decimal, and never rounded to a whole or to
/// nothing that is not one. A country where one kommun of 290 lacks a capability is 99.9%
/// covered, not 100%: the analyst reading the table looks for exactly that kommun.
public enum Percent {
    public static func text(_ share: Double) -> String {
        if share > 0, share < 0.0005 { return "<0.1%" }
        if share < 1, share >= 0.9995 { return ">99.9%" }
        let tenths = Int((share * 1000).rounded())
        return "\(tenths / 10).\(abs(tenths % 10))%"
    }

    /// `part` of `whole`; nil when either is unknown or the whole is nothing.
    public static func text(_ part: Int?, of whole: Int?) -> String? {
        guard let part, let whole, whole > 0 else { return nil }
        return text(Double(part) / Double(whole))
    }
}
