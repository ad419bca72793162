/// A calendar date as written in an inventory (YYYY-MM-DD); no time zone involved.
public struct CalendarDate: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD`, rejecting impossible dates such as 2027-02-30. Digits only:
    /// `Int` alone would also take a sign (`+027-+1-+5`).
    public init?(iso text: String) {
        guard text.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || $0 == 45 }) else { return nil }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              (1...12).contains(m), d >= 1, d <= CalendarDate.days(inMonth: m, year: y)
        else { return nil }
        self.init(year: y, month: m, day: d)
    }

    static func days(inMonth month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// The same day `months` later (clamped to the month's last day).
    public func adding(months: Int) -> CalendarDate {
        let total = year * 12 + (month - 1) + months
        let y = total / 12, m = total % 12 + 1
        return CalendarDate(year: y, month: m, day: min(day, CalendarDate.days(inMonth: m, year: y)))
    }

    /// The day after.
    public var nextDay: CalendarDate {
        day < CalendarDate.days(inMonth: month, year: year) ? CalendarDate(year: year, month: month, day: day + 1)
            : CalendarDate(year: month == 12 ? year + 1 : year, month: month == 12 ? 1 : month + 1, day: 1)
    }

    public var description: String {
        let mm = month < 10 ? "0\(month)" : "\(month)"
        let dd = day < 10 ? "0\(day)" : "\(day)"
        // Four digits, as ISO 8601 writes a year (`0999-12-31`, not `999-12-31`).
        let yyyy = year >= 1000 ? "\(year)" : String(repeating: "0", count: 4 - String(max(0, year)).count) + "\(max(0, year))"
        return "\(yyyy)-\(mm)-\(dd)"
    }

    public static func < (a: CalendarDate, b: CalendarDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }
}

/// One item of an inventory: a service, a piece of soft or of hard infrastructure.
public struct Item: Sendable {
    public var id: Located<String>
    public var layer: Layer
    public var name: Located<String>?
    public var capability: Located<String>?
    public var status: ItemStatus = .active
    public var statusPosition: TextPosition = .unknown
    public var endOfSupport: Located<CalendarDate>?
    public var product: Located<String>?
    public var vendor: String?
    public var standards: [Located<String>] = []
    public var critical: Bool = false
    /// References as written: `item-id` or `org-id/item-id`.
    public var dependsOn: [Located<String>] = []
    /// Hard layer only: share of households/workplaces reached, 0…1.
    public var coverage: [String: Double] = [:]
    public var reviewed: Located<CalendarDate>?
    public var sensitivity: Sensitivity = .internal
    public var tags: [String] = []
    public var notes: String?
    /// `x-` keys, kept and otherwise ignored (scalar values as text, others as "…").
    public var extensions: [String: String] = [:]
    /// Where the item's mapping starts.
    public var position: TextPosition

    public init(id: Located<String>, layer: Layer, position: TextPosition) {
        self.id = id
        self.layer = layer
        self.position = position
    }
}

/// The `organisation:` header of an inventory file.
public struct OrganisationHeader: Sendable {
    public var id: Located<String>
    public var name: Located<String>?
    public var type: Located<OrganisationType>?
    public var code: Located<String>?
    public var orgNumber: Located<String>?
    public var county: Located<String>?
    public var parent: Located<String>?
    public var members: [Located<String>] = []
    public var contact: String?
    public var extensions: [String: String] = [:]
    public var position: TextPosition

    public init(id: Located<String>, position: TextPosition) {
        self.id = id
        self.position = position
    }

    /// A header is "full" when it names the organisation; split files repeat only the id.
    public var isFull: Bool { name != nil || type != nil }
}

/// What one inventory file says.
public struct Inventory: Sendable {
    public var file: String
    public var version: Int
    public var organisation: OrganisationHeader
    public var items: [Item]
    /// Marks inventories shipped with the tool (inventory/national/).
    public var isNational: Bool

    public init(file: String, version: Int, organisation: OrganisationHeader, items: [Item], isNational: Bool = false) {
        self.file = file
        self.version = version
        self.organisation = organisation
        self.items = items
        self.isNational = isNational
    }
}
