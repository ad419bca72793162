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
/// (`parallelChunks`), every chunk's result handed to `emit` in order as soon as its batch is
/// done: how a country's export or graph (hundreds of MB) is written without being held whole.
public func inParallelBatches<T, E: Error>(_ count: Int, batch: Int, minimumChunk: Int = 1,
                                           _ make: @Sendable (ArraySlice<Int>) -> T,
                                           emit: (T) throws(E) -> Void) throws(E) {
    var start = 0
    while start < count {
        let end = min(count, start + max(1, batch))
        for piece in Array(start..<end).parallelChunks(minimumLength: minimumChunk, make) { try emit(piece) }
        start = end
    }
}
