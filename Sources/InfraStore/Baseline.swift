import Foundation
import InfraModel

/// Accepted findings, for adopting infra on inventories that already have many: `infra scan
/// --write-baseline FILE` writes them, `--baseline-findings FILE` then reports only the new
/// ones. Findings are matched by `Fingerprint`, never by line.
///
/// The file is versioned JSON:
///
///     {"version": 1, "findings": [{"fingerprint": "…", "rule": "…", "organisation": "…",
///                                   "item": "…", "subject": "…", "message": "…"}, …]}
///
/// Only `fingerprint` is used for matching; the other fields are there for people reading
/// the file in review. Matching counts: a baseline holding a fingerprint twice accepts two
/// findings with it, and a third one is new.
public struct FindingsBaseline: Sendable {
    public static let version = 1

    public struct Entry: Sendable, Hashable {
        public var fingerprint: String
        public var rule: String
        public var organisation: String?
        public var item: String?
        public var subject: String
        public var message: String

        public init(fingerprint: String, rule: String, organisation: String?, item: String?, subject: String, message: String) {
            self.fingerprint = fingerprint
            self.rule = rule
            self.organisation = organisation
            self.item = item
            self.subject = subject
            self.message = message
        }

        public init(_ f: Finding) {
            self.init(fingerprint: Fingerprint.of(f), rule: f.rule.rawValue, organisation: f.organisation, item: f.item,
                      subject: Fingerprint.identity(f).subject, message: f.message)
        }
    }

    public var entries: [Entry]

    public init(entries: [Entry]) { self.entries = entries }

    public init(findings: [Finding]) {
        entries = findings.map(Entry.init).sorted {
            ($0.rule, $0.organisation ?? "", $0.item ?? "", $0.subject, $0.fingerprint)
                < ($1.rule, $1.organisation ?? "", $1.item ?? "", $1.subject, $1.fingerprint)
        }
    }

    /// The file's text: one finding per line, so a shrinking baseline makes a readable diff.
    public func text() -> String {
        var out = "{\n  \"version\": \(Self.version),\n  \"findings\": ["
        for (i, e) in entries.enumerated() {
            out += i == 0 ? "\n    " : ",\n    "
            out += "{\"fingerprint\": \(JSONText.quote(e.fingerprint)), \"rule\": \(JSONText.quote(e.rule)), "
            out += "\"organisation\": \(e.organisation.map(JSONText.quote) ?? "null"), \"item\": \(e.item.map(JSONText.quote) ?? "null"), "
            out += "\"subject\": \(JSONText.quote(e.subject)), \"message\": \(JSONText.quote(e.message))}"
        }
        out += entries.isEmpty ? "]\n}\n" : "\n  ]\n}\n"
        return out
    }

    public struct FormatError: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// Reads a baseline file's text; `file` is for messages.
    public static func parse(_ data: Data, file: String) throws(FormatError) -> FindingsBaseline {
        let again = "write it again with `infra scan PATH --write-baseline \(file)`"
        if data.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            throw FormatError(description: "\(file): the findings baseline is empty; \(again)")
        }
        if data.starts(with: Array("SQLite format 3\0".utf8)) {
            // Writing a baseline over it is refused (it is the history), so that is no way on.
            throw FormatError(description: "\(file): an SQLite database (the history `--save` writes?), not a findings baseline; "
                + "give --baseline-findings the JSON file `infra scan PATH --write-baseline FILE` wrote")
        }
        guard let root = try? JSONSerialization.jsonObject(with: data) else {
            throw FormatError(description: "\(file): not a findings baseline: it is not JSON (cut short, or another kind of file); \(again)")
        }
        guard let object = root as? [String: Any] else {
            throw FormatError(description: "\(file): not a findings baseline (expected a JSON object with \"version\" and \"findings\"); \(again)")
        }
        if object["runs"] != nil || (object["$schema"] as? String)?.contains("sarif") == true {
            throw FormatError(description: "\(file): a SARIF report, not a findings baseline; write a baseline with `infra scan PATH --write-baseline FILE`")
        }
        guard let version = object["version"] as? Int else {
            throw FormatError(description: "\(file): not a findings baseline: "
                              + (object["version"] == nil ? "it has no \"version\"" : "its \"version\" must be the number \(Self.version), not text") + "; \(again)")
        }
        guard version >= 1 else {
            throw FormatError(description: "\(file): findings baseline version \(version) does not exist; \(again)")
        }
        guard version <= Self.version else {
            throw FormatError(description: "\(file): findings baseline version \(version) was written by a newer infra; this one reads version \(Self.version): use that infra, or \(again)")
        }
        guard let list = object["findings"] as? [[String: Any]] else {
            throw FormatError(description: "\(file): the findings baseline has no \"findings\" list")
        }
        var entries: [Entry] = []
        for (n, e) in list.enumerated() {
            // Fingerprints are lowercase hex; one written in capitals by hand still matches.
            guard let fingerprint = (e["fingerprint"] as? String)?.lowercased(), !fingerprint.isEmpty else {
                let what = e["fingerprint"] == nil ? "has no \"fingerprint\"" : "has a \"fingerprint\" that is not text (16 hex digits in quotes)"
                throw FormatError(description: "\(file): finding \(n + 1) of the baseline \(what); write the baseline again with `infra scan --write-baseline FILE`")
            }
            entries.append(Self.current(Entry(fingerprint: fingerprint, rule: e["rule"] as? String ?? "",
                                              organisation: e["organisation"] as? String, item: e["item"] as? String,
                                              subject: e["subject"] as? String ?? "", message: e["message"] as? String ?? "")))
        }
        return FindingsBaseline(entries: entries)
    }

    /// An entry written before its subject took the form it has now, with the fingerprint it
    /// has now, so that a baseline written then still accepts the finding:
    /// - a duplicate's subject named the other copy's file ("… is already used in a.yaml",
    ///   now "… in FILE");
    /// - a subject held infra's suggestion (" — did you mean …", now left out: it changed
    ///   when an unrelated id was added).
    static func current(_ e: Entry) -> Entry {
        var updated = e
        if e.rule == RuleID.duplicateID.rawValue || e.rule == RuleID.duplicateHeader.rawValue,
           let space = e.subject.lastIndex(of: " "), e.subject.hasSuffix(".yaml") || e.subject.hasSuffix(".yml") {
            updated.subject = e.subject[...space] + Fingerprint.filePlaceholder
        }
        updated.subject = Fingerprint.withoutSuggestion(updated.subject)
        guard updated.subject != e.subject else { return e }
        updated.fingerprint = Fingerprint.of(rule: e.rule, organisation: e.organisation ?? "", item: e.item ?? "", subject: updated.subject)
        return updated
    }

    /// Findings split against the baseline: `new` are not in it (in the order given),
    /// `accepted` are, and `gone` are baseline entries no current finding matched.
    public struct Match: Sendable {
        public var new: [Finding]
        public var accepted: [Finding]
        public var gone: [Entry]
    }

    public func match(_ findings: [Finding]) -> Match {
        var remaining = FingerprintCounts(entries.map(\.fingerprint))
        let (accepted, new) = remaining.take(findings, fingerprint: Fingerprint.of)
        // Entries left over once the findings have taken theirs: the first of each fingerprint.
        let gone = remaining.take(entries, fingerprint: \.fingerprint).matched
        return Match(new: new, accepted: accepted, gone: gone)
    }
}
