import Foundation

/// Results written by concurrent workers (`DispatchQueue.concurrentPerform`), each slot
/// exactly once, read after all workers have finished.
public final class ParallelSlots<Value>: @unchecked Sendable {
    private let lock = NSLock()
    public private(set) var values: [Value?]

    public init(count: Int) { values = Array(repeating: nil, count: count) }

    public func set(_ i: Int, _ value: Value) {
        lock.lock()
        values[i] = value
        lock.unlock()
    }
}

extension Array where Element: Sendable {
    /// `body` applied to consecutive slices of the array (indices as in the array), the
    /// slices in parallel on the machine's cores; the results in order.
    public func parallelChunks<T>(minimumLength: Int = 1024, _ body: @Sendable (ArraySlice<Element>) -> T) -> [T] {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let chunks = Swift.max(1, Swift.min(4 * cores, count / minimumLength))
        if chunks == 1 { return [body(self[...])] }
        let results = ParallelSlots<T>(count: chunks)
        let size = (count + chunks - 1) / chunks
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            let start = Swift.min(count, c * size)
            results.set(c, body(self[start..<Swift.min(count, start + size)]))
        }
        return results.values.map { $0! }
    }
}

/// Output made from 0..<count a batch at a time, each batch's indices split over the cores
/// (`parallelChunks`), every chunk's result handed to `emit` in order: how a country's
/// export, graph or snapshot (hundreds of MB) is written without being held whole. The next
/// batch is made while `emit` takes the current one, so a writer that keeps one core busy
/// (SQLite, a pipe) has the batches ready on the other. At most two batches exist at once.
public func inParallelBatches<T, E: Error>(_ count: Int, batch: Int, minimumChunk: Int = 1,
                                           _ make: @escaping @Sendable (ArraySlice<Int>) -> T,
                                           emit: (T) throws(E) -> Void) throws(E) {
    let size = max(1, batch)
    let made = { @Sendable (start: Int) in
        Array(start..<min(count, start + size)).parallelChunks(minimumLength: minimumChunk, make)
    }
    var start = 0
    var current = count > 0 ? made(0) : []
    while start < count {
        let next = start + size < count ? Ahead { [start] in made(start + size) } : nil
        defer { _ = next?.value }  // waited for even when `emit` throws
        for piece in current { try emit(piece) }
        current = next?.value ?? []
        start += size
    }
}

/// A value computed on another thread meanwhile; `value` waits for it.
private final class Ahead<T>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var result: T?
    private var waited = false  // read and written by the waiting thread only

    init(_ body: @escaping @Sendable () -> T) {
        DispatchQueue.global().async {
            self.result = body()
            self.done.signal()
        }
    }

    var value: T {
        if !waited {
            done.wait()
            waited = true
        }
        return result!
    }
}
