/// ssh command-line arguments as Ansible users write them in `ansible_ssh_common_args` and
/// `ansible_ssh_extra_args` (`-o ProxyJump=bastion -J user@b:2222 -p 2200 -l admin -i ~/.ssh/k -F file`),
/// turned into what ssh would do with them.
///
/// Pass them to `SSHConfigFile.resolve(host:user:port:arguments:)`, and read `configFile` first:
/// ssh reads that file instead of `~/.ssh/config`. Precedence: ssh applies its command line before
/// any config file and keeps the first value it gets for each keyword, so these options beat the
/// config file; among themselves the first wins too, except `-i`, which adds to the list.
public struct SSHArguments: Sendable {
    /// The file named with `-F` (the last one, as in ssh); `none` means no config file.
    public internal(set) var configFile: String?
    /// What Muster ignores, as written (`-C`, `-L 8080:db:5432`, a stray host name), for one
    /// warning per run. Keywords Muster ignores in `-o` options are reported by `resolve`, with the config's.
    public internal(set) var unsupported: [String] = []
    var directives: [SSHConfigDirective] = []
    /// The first option that set a proxy, since ssh refuses `-J` after another.
    var proxyOption: String?

    /// No arguments.
    public init() {}

    /// Splits `text` as Ansible does and reads it as ssh's getopt would (options may follow other
    /// words, and `--` ends them); `source` names the string in errors.
    public static func parse(_ text: String, source: String = "ssh arguments") throws(SSHConfigError) -> SSHArguments {
        let words: [SSHArgumentWords.Word]
        do throws(SSHArgumentWords.Failure) {
            words = try SSHArgumentWords.split(text)
        } catch {
            switch error {
            case .unclosedQuote(let column): throw SSHConfigError(path: source, column: column, message: "no closing quote")
            case .danglingBackslash(let column): throw SSHConfigError(path: source, column: column, message: "nothing after \\ to escape")
            }
        }
        var arguments = SSHArguments()
        var remaining = words[...]
        while let word = remaining.popFirst() {
            if word.text == "--" {
                arguments.unsupported += remaining.map(\.text)
                break
            }
            guard word.text.hasPrefix("-"), word.text.count > 1 else {
                arguments.unsupported.append(word.text)
                continue
            }
            try arguments.takeOptions(in: word, followedBy: &remaining, source: source)
        }
        return arguments
    }
}
