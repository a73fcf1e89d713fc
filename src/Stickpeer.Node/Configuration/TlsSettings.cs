// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Configuration;

/// <summary>TLS parameters of a <c>server</c>/<c>peer</c>/<c>default-server</c> or <c>bind</c>/<c>default-bind</c> line.</summary>
public sealed record TlsSettings
{
    public static TlsSettings Disabled { get; } = new();

    /// <summary><c>ssl</c> was given (and no later <c>no-ssl</c>).</summary>
    public bool Enabled { get; init; }

    /// <summary><c>crt</c>: one PEM file with the certificate (chain allowed) and its private key.</summary>
    public string? CertificateFile { get; init; }

    /// <summary><c>ca-file</c>: PEM bundle of trusted CAs used to verify the other side.</summary>
    public string? CaFile { get; init; }

    public TlsVerifyMode Verify { get; init; }

    /// <summary><c>sni</c>: the literal server name sent (from <c>str(...)</c>), if any.</summary>
    public string? Sni { get; init; }

    /// <summary><c>verifyhost</c>: name checked in the server certificate when no SNI is set.</summary>
    public string? VerifyHost { get; init; }

    /// <summary>The name to check in the peer's certificate, or null when HAProxy checks the chain only.</summary>
    public string? ExpectedName => Sni ?? VerifyHost;
}
