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
