import InfraModel
import Testing
@testable import InfraReport

@Suite("diff as people read it")
struct DiffRendererTests {
    static let paragraph = "Verksamhetssystemet för individ- och familjeomsorg driftas av leverantören i deras molntjänst; "
        + "avtalet löper till 2027 och förlängs med två år i taget om ingen part säger upp det."

    func changes(_ old: String?, _ new: String?) -> InventoryChanges {
        var d = InventoryChanges(old: .init(snapshot: 1, takenAt: nil, gitCommit: nil, paths: []),
                                 new: .init(snapshot: 2, takenAt: nil, gitCommit: nil, paths: []))
        d.itemsChanged = [.init(ref: "ange/omsorg", fields: [.init(field: "notes", old: old, new: new)])]
        return d
    }

    @Test("a phrase added to a long note shows with a few words around it, not as two copies of the paragraph; JSON keeps both whole")
    func longTextChange() throws {
        let d = changes(Self.paragraph, Self.paragraph + " Uppsägning sker skriftligen.")
        for format in [DiffFormat.text, .markdown] {
            let out = DiffRenderer.render(d, as: format)
            #expect(out.contains(#"notes "…part säger upp det." → "…part säger upp det. Uppsägning sker skriftligen.""#), "\(format): \(out)")
            #expect(!out.contains("Verksamhetssystemet"), "\(format): \(out)")
        }
        let json = DiffRenderer.render(d, as: .json)
        #expect(json.contains("Verksamhetssystemet för individ") && json.contains("Uppsägning sker skriftligen."))
        // A word changed in the middle: context on both sides.
        let middle = DiffRenderer.render(changes(Self.paragraph, Self.paragraph.replacingOccurrences(of: "2027", with: "2028")), as: .text)
        #expect(middle.contains(#"notes "…löper till 2027 och förlängs med…" → "…löper till 2028 och förlängs med…""#), "\(middle)")
        // Short values, and a note set or cleared, are shown whole.
        #expect(DiffRenderer.render(changes("kort", "kortare"), as: .text).contains(#"notes "kort" → "kortare""#))
        #expect(DiffRenderer.render(changes(nil, Self.paragraph), as: .text).contains("Verksamhetssystemet"))
    }
}
