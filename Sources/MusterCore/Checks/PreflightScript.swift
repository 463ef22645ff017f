import MusterSSH

/// The POSIX sh script that gathers a plan's facts in one exec.
///
/// Every fact is one record `muster:KEY:LENGTH:VALUE` and a newline, the length in bytes
/// (`${#v}` under LC_ALL=C), so no value can break the framing and reporting a fact
/// costs no process (hex-encoding each with `od` cost three forks a fact, and the probe
/// three times the wall of a bare round trip on 20 hosts). TCP tests run in the
/// background from the start, in parallel, and each reports with a single `printf`
/// (one write, so records never interleave). The last record is `end`: without it the
/// output was cut short. bash is used only for `/dev/tcp`; without it, `nc -z`.
enum PreflightScript {
    static func render(_ plan: ProbePlan) -> String {
        var lines = [
            "LC_ALL=C; export LC_ALL; PATH=$PATH:/usr/sbin:/usr/bin:/sbin:/bin",
            #"e() { printf 'muster:%s:%d:%s\n' "$1" "${#2}" "$2"; }"#,
        ]
        if plan.clock { lines.append(#"e clock.start "$(date +%s.%N 2>/dev/null)""#) }
        if !plan.connections.isEmpty { lines += connectionTests(plan.connections) }
        if plan.os {
            lines.append(
                #"for f in /etc/os-release /usr/lib/os-release; do if [ -r "$f" ]; then (. "$f" >/dev/null 2>&1; e os.id "${ID-}"; e os.version "${VERSION_ID-}"; e os.pretty "${PRETTY_NAME-}"); break; fi; done"#
            )
        }
        if plan.memory {  // read by the shell itself: no process
            lines.append(#"while read -r k v _; do if [ "$k" = MemTotal: ]; then e mem.kb "$v"; break; fi; done </proc/meminfo"#)
        }
        if plan.cpus { lines.append(#"e cpus "$(nproc 2>/dev/null || grep -c '^processor' /proc/cpuinfo 2>/dev/null)""#) }
        for (index, path) in plan.diskPaths.enumerated() {
            lines.append("p=\(ShellQuote.quote(path)); while [ ! -e \"$p\" ]; do p=$(dirname \"$p\"); done")
            lines.append(
                #"if o=$(df -Pk "$p" 2>&1); then e df.\#(index).path "$p"; e df.\#(index) "$o"; else e df.\#(index).err "$o"; fi"#
            )
        }
        if plan.writeTests.contains(where: { $0.user != nil }) {
            lines.append(
                #"if [ "$(id -u)" = 0 ]; then as_user() { su -s /bin/sh -c "$2" "$1"; }; else as_user() { sudo -n -u "$1" /bin/sh -c "$2"; }; fi"#
            )
        }
        for (index, test) in plan.writeTests.enumerated() {
            let body =
                "d=\(ShellQuote.quote(test.path)); f=\"$d/.muster-preflight.$$\"; [ -d \"$d\" ] || { echo \"no such directory\"; exit 1; }; "
                + "(set -C; : >\"$f\") 2>&1 || exit 1; rm -f \"$f\" 2>&1"
            let run = test.user.map { "as_user \(ShellQuote.quote($0)) \(ShellQuote.quote(body))" } ?? "(\(body))"
            lines.append("if o=$( \(run) 2>&1 </dev/null); then e w.\(index) ok; else e w.\(index).err \"$o\"; fi")
        }
        if plan.dmi {
            lines.append(
                #"d=/sys/class/dmi/id; if [ -r $d/sys_vendor ] || [ -r $d/product_name ]; then e dmi.vendor "$(cat $d/sys_vendor 2>/dev/null)"; e dmi.product "$(cat $d/product_name 2>/dev/null)"; else e dmi.none ""; fi"#
            )
        }
        if plan.interfaces {
            lines.append(
                #"if o=$(ip -o -4 addr show 2>/dev/null); then e ip.addr "$o"; elif o=$(hostname -I 2>/dev/null); then e ip.hostname "$o"; fi"#
            )
        }
        if plan.sshAddress { lines.append(#"e ssh.conn "${SSH_CONNECTION-}""#) }
        if plan.identity {
            lines.append(#"e host.name "$(uname -n 2>/dev/null)"; e host.kernel "$(uname -r 2>/dev/null)""#)
        }
        for (index, service) in plan.services.enumerated() {
            // LSB status codes: 0 running, 3 stopped, 4 unknown; 127: no such script.
            let script = ShellQuote.quote("/etc/init.d/" + service)
            lines.append(
                "if [ -x \(script) ]; then \(script) status >/dev/null 2>&1; e svc.\(index) \"$?\"; "
                    + "elif [ -d /run/systemd/system ] && systemctl cat \(ShellQuote.quote(service)) >/dev/null 2>&1; then "
                    + "systemctl is-active --quiet \(ShellQuote.quote(service)) 2>/dev/null; "
                    + "s=$?; [ $s -eq 0 ] || s=3; e svc.\(index) \"$s\"; else e svc.\(index) 127; fi")
        }
        for (index, path) in plan.versionFiles.enumerated() {
            lines.append(
                "f=\(ShellQuote.quote(path)); if [ ! -e \"$f\" ]; then e ver.\(index).missing \"\"; else "
                    + #"o=$(grep -E '^[[:space:]]*version[[:space:]]*[=:]' "$f" 2>&1); s=$?; "#
                    + "if [ $s -le 1 ]; then e ver.\(index) \"$o\"; else e ver.\(index).err \"$o\"; fi; fi")
        }
        if !plan.tokenFiles.isEmpty {
            lines.append("sha() { if command -v sha256sum >/dev/null 2>&1; then sha256sum; else openssl dgst -sha256 -r; fi; }")
        }
        for (index, path) in plan.tokenFiles.enumerated() {
            lines.append(
                "f=\(ShellQuote.quote(path)); if [ ! -e \"$f\" ]; then e tok.\(index).missing \"\"; "
                    + "elif [ ! -s \"$f\" ]; then e tok.\(index).empty \"\"; "
                    + "elif o=$( { sha <\"$f\"; } 2>&1); then e tok.\(index) \"$o\"; else e tok.\(index).err \"$o\"; fi")
        }
        lines.append("wait")
        if plan.clock { lines.append(#"e clock.end "$(date +%s.%N 2>/dev/null)""#) }
        lines.append("e end \"\"")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Each test in a background subshell reporting `STATUS OUTPUT` (124: timed out).
    private static func connectionTests(_ targets: [PortTarget]) -> [String] {
        var lines = [
            "t() { if command -v bash >/dev/null 2>&1; then "
                + #"if command -v timeout >/dev/null 2>&1; then timeout 3 bash -c 'exec 3<>"/dev/tcp/$1/$2"' t "$1" "$2"; "#
                + #"else bash -c 'exec 3<>"/dev/tcp/$1/$2"' t "$1" "$2"; fi; "#
                + #"elif command -v nc >/dev/null 2>&1; then nc -z -w3 "$1" "$2"; "#
                + #"else echo "neither bash nor nc is installed"; return 127; fi; }"#
        ]
        for (index, target) in targets.enumerated() {
            lines.append("(o=$(t \(ShellQuote.quote(target.host)) \(target.port) 2>&1 </dev/null); e tcp.\(index) \"$? $o\") &")
        }
        return lines
    }
}
