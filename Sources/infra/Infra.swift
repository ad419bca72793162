import ArgumentParser
import Foundation
import InfraReport

let toolVersion = "0.1.0"

struct Infra: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "infra",
        abstract: "Map Sweden's shared digital infrastructure for welfare: services, soft and hard infrastructure.",
        discussion: """
        infra reads YAML inventories (one per organisation: kommun, region, myndighet …), \
        resolves every dependency across organisations and the built-in national components \
        (BankID, SITHS, Mina meddelanden …), and reports what is missing, duplicated or at risk.

        EXIT CODES
          0  no errors (warnings allowed)
          1  errors found (or warnings, with --fail-on warning)
          2  usage or I/O problem: a missing path, an unreadable file, a bad flag
        """,
        version: toolVersion,
        subcommands: [Validate.self, Scan.self, ImpactCommand.self, CoverageCommand.self, ExportCommand.self, GraphCommand.self, HistoryCommand.self, DiffCommand.self, TrendCommand.self, Explain.self, Schema.self, Init.self, VocabularyCommand.self]
    )
}

@main
enum Main {
    static func main() {
        // A standard descriptor closed by the caller (`>&-`) would be the next file infra
        // opens, and a report would go into it: /dev/null stands in for it.
        for fd in [STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO] where fcntl(fd, F_GETFD) < 0 {
            let null = open("/dev/null", O_RDWR)
            if null >= 0, null != fd { dup2(null, fd); close(null) }
        }
        do {
            var command = try Infra.parseAsRoot()
            try command.run()
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch let error as InputProblem {
            // Messages name paths and values from the user's files: no control sequences.
            FileHandle.standardError.write(Data("infra: error: \(TextRenderer.printable(error.message))\n".utf8))
            Foundation.exit(2)
        } catch {
            // Help and --version are "errors" that exit 0; real usage errors exit 2 (not 64).
            if Infra.exitCode(for: error) == .success { Infra.exit(withError: error) }
            FileHandle.standardError.write(Data((Infra.fullMessage(for: error) + "\n").utf8))
            Foundation.exit(2)
        }
    }
}

/// A problem with the command line or the paths given: exit code 2.
struct InputProblem: Error {
    var message: String
    init(_ message: String) { self.message = message }
}
