// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Transport;

/// <summary>Why a transport could not listen, connect or secure a connection (reported as a kind, never parsed from text).</summary>
public enum TransportFailure
{
    /// <summary>Nobody listens at the address (or the peer reset the attempt).</summary>
    Refused,

    /// <summary>The host name does not resolve.</summary>
    HostNotFound,

    /// <summary>Connecting or the TLS handshake took longer than its limit.</summary>
    TimedOut,

    /// <summary>The host is stopping; the attempt was cancelled.</summary>
    Stopping,

    /// <summary>Any other network or I/O error.</summary>
    NetworkError,

    /// <summary>The listener could not bind its address (in use, not local, bad address).</summary>
    BindFailed,

    /// <summary>A plaintext peers hello arrived on a TLS listener.</summary>
    PlaintextPeersHello,

    /// <summary>The first bytes on a TLS listener are neither TLS nor a peers hello.</summary>
    NotTlsHandshake,

    /// <summary>The certificate has expired or is not yet valid.</summary>
    TlsCertificateExpired,

    /// <summary>The certificate is not signed by a CA of the <c>ca-file</c>.</summary>
    TlsUnknownCa,

    /// <summary>The bind has <c>verify required</c> and the client sent no certificate.</summary>
    TlsNoClientCertificate,

    /// <summary>The certificate does not match the expected name.</summary>
    TlsNameMismatch,

    /// <summary>The certificate was rejected for another reason (or none was presented).</summary>
    TlsCertificateRejected,

    /// <summary>The TLS handshake failed for a reason other than the certificate check.</summary>
    TlsHandshakeError,

    /// <summary>The TLS handshake took longer than its limit.</summary>
    TlsHandshakeTimedOut,
}
