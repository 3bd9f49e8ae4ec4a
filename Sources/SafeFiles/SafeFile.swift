// Reading and writing the user's files without ever losing one. A write goes to a temporary file
// made exclusively beside the target, is flushed to disk, takes the target's mode and owner, and
// replaces the target by a rename: the file is whole before or after, never half written. Only
// regular files are written or read; a symbolic link is written through to its target, so the link
// stays a link. Every failure has one wording, the same everywhere (`FileProblem`).
#if canImport(Glibc)
    import Glibc
    private let systemRead = Glibc.read
    private let systemWrite = Glibc.write
#elseif canImport(Darwin)
    import Darwin
    private let systemRead = Darwin.read
    private let systemWrite = Darwin.write
#endif

/// Why a file could not be read or written, worded for the user.
public enum FileProblem: Error, Equatable, CustomStringConvertible {
    case emptyPath
    case missing
    case isFolder
    /// A device, a FIFO or a socket: reading might never end, writing would replace it.
    case notRegularFile(kind: String)
    case tooLarge(bytes: Int, limit: Int)
    /// The file has no write permission for its owner (`chmod u+w` first).
    case readOnly(mode: UInt32)
    case system(errno: Int32)

    public var description: String {
        switch self {
        case .emptyPath: "empty path; name a file"
        case .missing: "no such file or folder"
        case .isFolder: "it is a folder, not a file"
        case .notRegularFile(let kind): "it is a \(kind), not a regular file"
        case .tooLarge(let bytes, let limit): "it has \(bytes) bytes, more than the \(limit) allowed"
        case .readOnly(let mode):
            "the file is read-only (mode \(String(mode & 0o777, radix: 8))); make it writable first (chmod u+w)"
        case .system(let code): FileProblem.wording(errno: code)
        }
    }

    /// One wording per errno.
    public static func wording(errno code: Int32) -> String {
        switch code {
        case ENOENT: "no such file or folder"
        case EACCES, EPERM: "permission denied"
        case ENOSPC, EDQUOT: "disk full"
        case ENOTDIR: "a part of the path is a file, not a folder"
        case EISDIR: "it is a folder, not a file"
        case EROFS: "the file system is read-only"
        case ENAMETOOLONG: "the name is too long"
        case ELOOP: "too many symbolic links in the path"
        case EFBIG: "the file would be too large"
        case EIO: "input/output error on the disk"
        case EBUSY, ETXTBSY: "the file is busy"
        case EMFILE, ENFILE: "too many files are open"
        case ENOMEM: "out of memory"
        case EXDEV: "the file and its folder are on different disks"
        case EINVAL: "the name is not valid here"
        default: String(cString: strerror(code)).lowercased()
        }
    }
}

public enum SafeFile {
    // MARK: Paths

    /// `path` with a leading `~` (alone or before `/`) replaced by the home folder, as a shell does;
    /// any other path unchanged (a relative one stays relative to the current folder).
    public static func expandingTilde(_ path: String) -> String {
        guard path == "~" || path.hasPrefix("~/") else { return path }
        let home =
            getenv("HOME").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 }
            ?? getpwuid(getuid()).flatMap { $0.pointee.pw_dir.map { String(cString: $0) } } ?? "/"
        return home + path.dropFirst()
    }

    // MARK: Reading

    /// The bytes of the regular file at `path`, at most `limit` of them. Opened without blocking, so
    /// a FIFO is refused instead of waiting for a writer for ever.
    public static func read(_ path: String, limit: Int) throws(FileProblem) -> [UInt8] {
        guard !path.isEmpty else { throw .emptyPath }
        let path = expandingTilde(path)
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw errno == ENOENT ? .missing : .system(errno: errno) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .system(errno: errno) }
        try requireRegular(info)
        let size = Int(info.st_size)
        guard size <= limit else { throw .tooLarge(bytes: size, limit: limit) }
        var bytes = [UInt8](repeating: 0, count: size)
        var done = 0
        while done < size {
            let n = bytes.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress! + done, size - done) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .system(errno: errno)
            }
            if n == 0 { break }  // the file shrank while it was read
            done += n
        }
        return Array(bytes.prefix(done))
    }

    /// The text of the file at `path` (UTF-8).
    public static func readText(_ path: String, limit: Int) throws(FileProblem) -> String? {
        let bytes = try read(path, limit: limit)
        return String(validating: bytes, as: UTF8.self)
    }

    static func requireRegular(_ info: stat) throws(FileProblem) {
        switch info.st_mode & S_IFMT {
        case S_IFREG: return
        case S_IFDIR: throw .isFolder
        case S_IFIFO: throw .notRegularFile(kind: "FIFO (named pipe)")
        case S_IFCHR, S_IFBLK: throw .notRegularFile(kind: "device")
        case S_IFSOCK: throw .notRegularFile(kind: "socket")
        default: throw .notRegularFile(kind: "special file")
        }
    }

    /// Throws unless `path` is missing or a regular file (checked without opening it).
    public static func requireRegularOrMissing(_ path: String) throws(FileProblem) {
        var info = stat()
        if stat(path, &info) != 0 {
            guard errno == ENOENT else { throw .system(errno: errno) }
            return
        }
        try requireRegular(info)
    }

    // MARK: Writing

    /// The file a write to `path` lands in: `path` itself, or the end of its chain of symbolic links.
    public static func resolvingLinks(_ path: String) throws(FileProblem) -> String {
        var current = path
        for _ in 0..<40 {
            var info = stat()
            guard lstat(current, &info) == 0, info.st_mode & S_IFMT == S_IFLNK else { return current }
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let n = readlink(current, &buffer, buffer.count - 1)
            guard n >= 0 else { throw .system(errno: errno) }
            let target = String(decoding: buffer.prefix(n).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            current = target.hasPrefix("/") ? target : folder(of: current) + "/" + target
        }
        throw .system(errno: ELOOP)
    }

    /// Replaces the file at `path` with `bytes`, safely (see the top of this file).
    public static func write(_ bytes: [UInt8], to path: String) throws(FileProblem) {
        guard !path.isEmpty else { throw .emptyPath }
        let path = expandingTilde(path)
        let target = try resolvingLinks(path)
        var existing = stat()
        let exists = stat(target, &existing) == 0
        if exists {
            try requireRegular(existing)
            if existing.st_mode & S_IWUSR == 0 { throw .readOnly(mode: UInt32(existing.st_mode)) }
            if access(target, W_OK) != 0 { throw .system(errno: errno) }
        } else if errno != ENOENT {
            throw .system(errno: errno)
        }
        let folder = folder(of: target)
        let name = baseName(of: target)
        guard !name.isEmpty else { throw .isFolder }
        sweepStaleTemporaries(of: name, in: folder)

        var template = Array("\(folder)/.\(name).gradbook-\(getpid())-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw .system(errno: errno) }
        let temporary = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var finished = false
        defer {
            if !finished { unlink(temporary) }
        }
        do {
            defer { close(fd) }
            try writeAll(bytes, to: fd)
            // The target's own mode and owner; a new file gets the usual 0666 less the umask.
            if exists {
                fchmod(fd, existing.st_mode & 0o7777)
                if existing.st_uid != geteuid() || existing.st_gid != getegid() {
                    _ = fchown(fd, existing.st_uid, existing.st_gid)
                }
            } else {
                let mask = umask(0)
                umask(mask)
                fchmod(fd, 0o666 & ~mask)
            }
            guard fsync(fd) == 0 else { throw FileProblem.system(errno: errno) }
        }
        guard rename(temporary, target) == 0 else { throw .system(errno: errno) }
        finished = true
    }

    /// Writes every byte of `bytes` to `fd`, or throws.
    static func writeAll(_ bytes: [UInt8], to fd: Int32) throws(FileProblem) {
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { systemWrite(fd, $0.baseAddress! + done, bytes.count - done) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .system(errno: errno)
            }
            done += n
        }
    }

    // MARK: Appending

    /// A file kept open for appending, line after line, at a cost of O(line) each (`record`).
    public final class Appender {
        public let path: String
        private let fd: Int32

        /// Starts `path` empty (through `write`, with all its checks) and opens it for appending.
        public convenience init(emptying path: String) throws(FileProblem) {
            try SafeFile.write([], to: path)
            try self.init(path, opening: try SafeFile.resolvingLinks(SafeFile.expandingTilde(path)), flags: O_NOFOLLOW)
        }

        /// Opens `path` for appending, keeping what it holds, creating it (mode 0600) if missing.
        public convenience init(keeping path: String) throws(FileProblem) {
            guard !path.isEmpty else { throw .emptyPath }
            try self.init(path, opening: SafeFile.expandingTilde(path), flags: O_CREAT)
        }

        /// Only a regular file is kept open; a FIFO or device is refused without blocking.
        private init(_ path: String, opening file: String, flags: Int32) throws(FileProblem) {
            let fd = open(file, O_WRONLY | O_APPEND | O_NONBLOCK | O_CLOEXEC | flags, 0o600)
            guard fd >= 0 else { throw .system(errno: errno) }
            var info = stat()
            do throws(FileProblem) {
                guard fstat(fd, &info) == 0 else { throw .system(errno: errno) }
                try SafeFile.requireRegular(info)
            } catch {
                close(fd)
                throw error
            }
            self.path = path
            self.fd = fd
        }

        /// Adds `bytes` at the end of the file, all of them or (on failure) an error.
        public func append(_ bytes: [UInt8]) throws(FileProblem) {
            try SafeFile.writeAll(bytes, to: fd)
        }

        deinit { close(fd) }
    }

    /// Removes temporaries of `name` left by gradbook processes that no longer run (a `kill -9`
    /// during a write), so they do not pile up.
    static func sweepStaleTemporaries(of name: String, in folder: String) {
        guard let directory = opendir(folder) else { return }
        defer { closedir(directory) }
        let prefix = ".\(name).gradbook-"
        while let entry = readdir(directory) {
            // Read the name in place, up to its NUL: the entry may be shorter than d_name's 256 bytes.
            let file = withUnsafePointer(to: &entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 1) { String(cString: $0) }
            }
            guard file.hasPrefix(prefix) else { continue }
            let rest = file.dropFirst(prefix.count)
            guard let dash = rest.firstIndex(of: "-"), let pid = Int32(rest[..<dash]), pid != getpid() else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { unlink(folder + "/" + file) }
        }
    }

    static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    static func baseName(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }
}
