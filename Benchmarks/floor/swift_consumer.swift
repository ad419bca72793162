// swift_consumer — the "minimal Swift consumer" of issue 2: libyaml's events, each
// scalar's text made a Swift String and kept (one array per file), the files spread over
// the cores as infra's loader spreads them. No model, no locations, no checks: what a
// Swift program pays above the C floor (yaml_floor.c) just to hold the values.
//
//   swift_consumer @LIST      the files named in LIST, one path a line
//
// Prints the number of scalars and files. Build (bench.sh does):
//   swiftc -O -I Sources/CYAML -o Benchmarks/out/swift_consumer Benchmarks/floor/swift_consumer.swift
import CYAML
import Dispatch
import Foundation

guard CommandLine.arguments.count == 2, CommandLine.arguments[1].hasPrefix("@"),
      let list = try? String(contentsOfFile: String(CommandLine.arguments[1].dropFirst()), encoding: .utf8) else {
    FileHandle.standardError.write(Data("usage: swift_consumer @LIST\n".utf8))
    exit(2)
}
let files = list.split(separator: "\n").map(String.init)

final class Kept: @unchecked Sendable {
    let lock = NSLock()
    var strings: [[String]]
    var failed = false
    init(_ n: Int) { strings = Array(repeating: [], count: n) }
}
let kept = Kept(files.count)

DispatchQueue.concurrentPerform(iterations: files.count) { i in
    guard let data = FileManager.default.contents(atPath: files[i]) else {
        kept.lock.withLock { kept.failed = true }
        return
    }
    var strings: [String] = []
    data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
        guard let base = raw.bindMemory(to: UInt8.self).baseAddress else { return }
        var parser = yaml_parser_t()
        yaml_parser_initialize(&parser)
        defer { yaml_parser_delete(&parser) }
        yaml_parser_set_input_string(&parser, base, raw.count)
        var event = yaml_event_t()
        while yaml_parser_parse(&parser, &event) == 1 {
            let done = event.type == YAML_STREAM_END_EVENT
            if event.type == YAML_SCALAR_EVENT, let value = event.data.scalar.value {
                strings.append(String(decoding: UnsafeBufferPointer(start: value, count: event.data.scalar.length), as: UTF8.self))
            }
            yaml_event_delete(&event)
            if done { return }
        }
        kept.lock.withLock { kept.failed = true }  // a syntax error
    }
    kept.lock.withLock { kept.strings[i] = strings }
}
print(kept.strings.reduce(0) { $0 + $1.count }, "scalars in", files.count, "files")
exit(kept.failed ? 1 : 0)
