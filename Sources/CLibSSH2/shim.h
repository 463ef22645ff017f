#ifndef MUSTER_CLIBSSH2_SHIM_H
#define MUSTER_CLIBSSH2_SHIM_H

/* libssh2 1.10 (Debian bookworm) plus libcrypto's SHA-256.
 * Swift cannot import libssh2's function-like macros, so each one used by
 * MusterSSH has a prefixed static inline wrapper here. */

#include <libssh2.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sys/types.h>
#include <sys/eventfd.h>

/* The IOLoop's wake-up descriptor (eventfd's flags are macros Swift cannot see). */
static inline int muster_wake_fd(void) {
    return eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
}

static inline LIBSSH2_SESSION *muster_session_init(void) {
    return libssh2_session_init_ex(NULL, NULL, NULL, NULL);
}

static inline int muster_session_disconnect(LIBSSH2_SESSION *s, const char *description) {
    return libssh2_session_disconnect_ex(s, SSH_DISCONNECT_BY_APPLICATION, description, "");
}

static inline LIBSSH2_CHANNEL *muster_channel_open_session(LIBSSH2_SESSION *s) {
    return libssh2_channel_open_ex(s, "session", sizeof("session") - 1,
                                   LIBSSH2_CHANNEL_WINDOW_DEFAULT * 8,
                                   LIBSSH2_CHANNEL_PACKET_DEFAULT, NULL, 0);
}

static inline int muster_channel_exec(LIBSSH2_CHANNEL *c, const char *command, unsigned int length) {
    return libssh2_channel_process_startup(c, "exec", sizeof("exec") - 1, command, length);
}

/* A pseudo-terminal for an interactive command (`converse`); default terminal modes. */
static inline int muster_channel_request_pty(LIBSSH2_CHANNEL *c, const char *term, int columns, int rows) {
    return libssh2_channel_request_pty_ex(c, term, (unsigned int)strlen(term), NULL, 0, columns, rows, 0, 0);
}

static inline ssize_t muster_channel_read(LIBSSH2_CHANNEL *c, int stream, char *buf, size_t len) {
    return libssh2_channel_read_ex(c, stream, buf, len);
}

static inline ssize_t muster_channel_write(LIBSSH2_CHANNEL *c, const char *buf, size_t len) {
    return libssh2_channel_write_ex(c, 0, buf, len);
}

static inline int muster_userauth_password(LIBSSH2_SESSION *s, const char *user, const char *password) {
    return libssh2_userauth_password_ex(s, user, (unsigned int)strlen(user),
                                        password, (unsigned int)strlen(password), NULL);
}

static inline int muster_userauth_publickey_fromfile(LIBSSH2_SESSION *s, const char *user,
                                                      const char *privateKey, const char *passphrase) {
    return libssh2_userauth_publickey_fromfile_ex(s, user, (unsigned int)strlen(user),
                                                  NULL, privateKey, passphrase);
}

static inline int muster_knownhost_checkp(LIBSSH2_KNOWNHOSTS *hosts, const char *host, int port,
                                          const char *key, size_t keylen, int keyType) {
    return libssh2_knownhost_checkp(hosts, host, port, key, keylen,
                                    LIBSSH2_KNOWNHOST_TYPE_PLAIN | LIBSSH2_KNOWNHOST_KEYENC_RAW | keyType,
                                    NULL);
}

/* One-shot SHA-256 state for streaming a local file through libcrypto. */
static inline EVP_MD_CTX *muster_sha256_new(void) {
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (ctx != NULL && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
        EVP_MD_CTX_free(ctx);
        return NULL;
    }
    return ctx;
}

#endif
