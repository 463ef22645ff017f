import Foundation

#if canImport(Glibc)
    import Glibc
#endif

extension SSHConfigEnvironment {
    /// This process's user, host and environment, looked up as ssh looks them up.
    public static func current() -> SSHConfigEnvironment {
        let userID = getuid()
        let account = passwordEntry { getpwuid_r(userID, $0, $1, $2, $3) }
        return SSHConfigEnvironment(
            userName: account?.name ?? String(userID),
            userID: userID,
            homeDirectory: account?.home ?? "/",
            hostName: localHostName(),
            variables: ProcessInfo.processInfo.environment,
            homeDirectoryOfUser: { name in passwordEntry { getpwnam_r(name, $0, $1, $2, $3) }?.home }
        )
    }

    private static func localHostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// One password-database entry through a reentrant getpw*_r call.
    private static func passwordEntry(
        _ lookup: (
            UnsafeMutablePointer<passwd>, UnsafeMutablePointer<CChar>, Int, UnsafeMutablePointer<UnsafeMutablePointer<passwd>?>
        ) -> Int32
    ) -> (name: String, home: String)? {
        var buffer = [CChar](repeating: 0, count: 16_384)
        return buffer.withUnsafeMutableBufferPointer { storage in
            var entry = passwd()
            var found: UnsafeMutablePointer<passwd>?
            guard lookup(&entry, storage.baseAddress!, storage.count, &found) == 0, found != nil,
                let name = entry.pw_name, let home = entry.pw_dir
            else { return nil }
            return (String(cString: name), String(cString: home))
        }
    }
}
