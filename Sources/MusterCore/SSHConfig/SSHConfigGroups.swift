import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Group membership as Debian's ssh checks it before trusting a group-writable config file.
enum SSHConfigGroups {
    /// getpwent(3) and getpwuid(3) share process-wide state, so lookups take turns.
    private static let accounts = NSLock()

    /// Debian's secure_permissions: every user whose primary group this is must be `userID`, the
    /// group may list at most one member, the file's owner, and it must have some member.
    static func hasOnlyMember(_ userID: UInt32, group groupID: UInt32, fileOwner: UInt32) -> Bool {
        guard let listed = listedMembers(of: groupID) else { return false }
        accounts.lock()
        defer { accounts.unlock() }
        let primary = primaryMembers(of: groupID)
        guard primary.allSatisfy({ $0 == userID }), let owner = getpwuid(fileOwner)?.pointee.pw_name else { return false }
        guard listed.count <= 1, listed.allSatisfy({ $0 == String(cString: owner) }) else { return false }
        return !primary.isEmpty || !listed.isEmpty
    }

    /// The member names a group lists, or nil for an unknown group.
    private static func listedMembers(of groupID: UInt32) -> [String]? {
        var entry = group()
        var found: UnsafeMutablePointer<group>?
        var buffer = [CChar](repeating: 0, count: 16_384)
        return buffer.withUnsafeMutableBufferPointer { storage in
            guard getgrgid_r(groupID, &entry, storage.baseAddress, storage.count, &found) == 0, found != nil else { return nil }
            var names: [String] = []
            var member = entry.gr_mem
            while let name = member?.pointee {
                names.append(String(cString: name))
                member = member?.successor()
            }
            return names
        }
    }

    /// The ids of the users whose primary group this is; the caller holds the lock.
    private static func primaryMembers(of groupID: UInt32) -> [UInt32] {
        setpwent()
        defer { endpwent() }
        var members: [UInt32] = []
        while let account = getpwent() {
            if account.pointee.pw_gid == groupID { members.append(account.pointee.pw_uid) }
        }
        return members
    }
}
