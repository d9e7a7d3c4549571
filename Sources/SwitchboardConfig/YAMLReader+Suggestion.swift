extension YAMLReader {
    /// `unknown key 'routs' (did you mean 'routes'?)`, or without the hint when nothing is close.
    static func unknownKeyMessage(_ key: String, known: [String]) -> String {
        guard let suggestion = self.suggestion(for: key, among: known) else {
            return "unknown key '\(key)'"
        }
        return "unknown key '\(key)' (did you mean '\(suggestion)'?)"
    }

    /// The closest of `candidates` to `word`, when it is close enough to be a likely typo.
    ///
    /// A candidate that differs only in letter case always qualifies; otherwise the edit distance must be at
    /// most a third of the word's length (at least 1, at most 3).
    static func suggestion(for word: String, among candidates: [String]) -> String? {
        if let sameLetters = candidates.first(where: { $0.lowercased() == word.lowercased() }) {
            return sameLetters
        }
        let limit = min(3, max(1, word.count / 3))
        var best: (candidate: String, distance: Int)?
        for candidate in candidates {
            let distance = self.editDistance(word.lowercased(), candidate.lowercased())
            if distance <= limit, distance < (best?.distance ?? Int.max) {
                best = (candidate, distance)
            }
        }
        return best?.candidate
    }

    /// Levenshtein distance (insertions, deletions and substitutions of characters).
    static func editDistance(_ lhs: String, _ rhs: String) -> Int {
        let left = Array(lhs)
        let right = Array(rhs)
        if left.isEmpty { return right.count }
        if right.isEmpty { return left.count }
        var previous = Array(0...right.count)
        var current = [Int](repeating: 0, count: right.count + 1)
        for i in 1...left.count {
            current[0] = i
            for j in 1...right.count {
                let substitution = previous[j - 1] + (left[i - 1] == right[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            swap(&previous, &current)
        }
        return previous[right.count]
    }
}
