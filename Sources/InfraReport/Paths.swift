/// A path's segments with `.` left out and `dir/..` taken out; a `..` with nothing before it
/// to take out stays. Code scanning and GitHub annotations match paths as written in the
/// repository, with none of these.
func normalisedSegments(_ path: String) -> [Substring] {
    var segments: [Substring] = []
    for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
        if segment == "." { continue }
        if segment == "..", let last = segments.last, last != ".." { segments.removeLast(); continue }
        segments.append(segment)
    }
    return segments
}
