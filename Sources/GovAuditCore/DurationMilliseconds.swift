extension Duration {
    /// Whole milliseconds, rounded toward zero: what timeouts, budgets and stored durations count in.
    public var wholeMilliseconds: Int {
        let (seconds, attoseconds) = components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }
}
