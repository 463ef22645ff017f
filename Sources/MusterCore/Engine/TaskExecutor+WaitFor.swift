import Foundation
import MusterSSH

extension TaskExecutor {
    /// `wait_for`: polls on the host itself, once a second, in a single command, so a
    /// long wait costs one round trip and not one per poll.
    func waitFor(_ action: WaitForAction, task: TaskSpec) async throws -> Outcome {
        let renderer = context.renderer
        let (test, what): (String, String)
        switch action.condition {
        case .port(let host, let port):
            let address = try host.map(renderer.text) ?? "127.0.0.1"
            (test, what) = ("port_open \(ShellQuote.quote(address)) \(port)", "port \(address):\(port)")
        case .url(let url, let json):
            let text = try renderer.text(url)
            let expected = InventoryValue.dict(InventoryDictionary(json)).description
            (test, what) = ("url_ok \(ShellQuote.quote(text)) \(ShellQuote.quote(expected))", text)
        case .path(let path):
            let text = try renderer.text(path)
            (test, what) = ("test -e \(ShellQuote.quote(text))", text)
        case .process(let pattern):
            let text = try renderer.text(pattern)
            (test, what) = ("pgrep -f -- \(ShellQuote.quote(text)) >/dev/null", "process '\(text)'")
        }
        let seconds = Int(action.timeout.components.seconds)
        let script = WaitForScript.make(test: action.absent ? "! { \(test); }" : test, seconds: seconds)
        let result = try await context.session.exec(
            context.privileged(script, become: task.become), timeout: action.timeout + .seconds(30))
        let state = action.absent ? "gone" : "ready"
        guard result.succeeded else {
            throw TaskFailure(
                message: "\(what) not \(state) after \(DurationText.describe(action.timeout))"
                    + (OutputTail.lastLine(result.stdoutText).map { " (last: \($0))" } ?? ""),
                exitStatus: result.exitStatus, stdout: result.stdoutText, stderr: result.stderrText)
        }
        return Outcome(status: .ok, message: "\(what) \(state) after \(result.stdoutText.trimmingTrailingNewlines) s")
    }
}

/// The polling loop behind `wait_for`; prints the seconds it waited on success, and on
/// timeout the last answer a URL gave.
enum WaitForScript {
    static func make(test: String, seconds: Int) -> String {
        """
        port_open() { if command -v bash >/dev/null 2>&1; then timeout 3 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$1" "$2" 2>/dev/null; else nc -z -w 3 "$1" "$2"; fi; }
        url_ok() {
          last=$(curl -fsSk --max-time 5 "$1" 2>&1) || return 1
          [ "$2" = '{}' ] && return 0
          if command -v python3 >/dev/null 2>&1; then
            printf '%s' "$last" | python3 -c 'import json,sys
        d=json.load(sys.stdin); e=json.loads(sys.argv[1])
        sys.exit(0 if isinstance(d, dict) and all(d.get(k) == v for k, v in e.items()) else 1)' "$2"
          else printf '%s' "$last" | tr -d ' \\n' | grep -qF "$(printf '%s' "$2" | tr -d '{} ')"; fi
        }
        last=''
        start=$(date +%s)
        while :; do
          if \(test); then echo $(( $(date +%s) - start )); exit 0; fi
          if [ $(( $(date +%s) - start )) -ge \(seconds) ]; then [ -n "$last" ] && printf '%s\\n' "$last"; exit 1; fi
          sleep 1
        done
        """
    }
}
