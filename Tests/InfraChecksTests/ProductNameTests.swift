import InfraChecks
import Testing

/// Product names are grouped across organisations by their normalised spelling.
@Suite struct ProductNameTests {
    @Test(arguments: [
        ("Lifecare AB", "lifecare"),
        (" Life-care ", "lifecare"),
        ("LIFECARE", "lifecare"),
        ("Tieto Evry Sverige AB", "tietoevry"),
        ("ÄRENDE-system Åre", "ärendesystemåre"),
        ("Office 365", "office365"),
        ("AB", "ab"),  // a suffix alone is still a name
        ("Sverige AB", "sverige"),
        ("ÅÄÖÉÜ ß", "åäöéüß"),
        ("Ωmega 2", "ωmega2"),  // outside Latin-1: Unicode's own lowercase
        ("Ärende × 2 ÷ Öst", "ärende2öst"),  // × and ÷ are not letters
        ("Åre Kommun\u{00A0}AB", "årekommun"),  // a no-break space separates words too: AB is a suffix
        ("Ärendesystem Ωmega", "ärendesystemωmega"),  // Latin-1 then beyond: one result either way
    ])
    func normalisedSpelling(name: String, expected: String) {
        #expect(DuplicateCheck.normalise(name) == expected)
    }
}
