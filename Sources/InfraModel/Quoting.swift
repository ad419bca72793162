/// `s` in double quotes with `"`, a backslash, line breaks and tabs escaped by a backslash: how
/// both a YAML double-quoted scalar and the diff's field values write text, so that a value
/// reads back as itself and cannot fake a line of its own.
public func doubleQuoted(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}
