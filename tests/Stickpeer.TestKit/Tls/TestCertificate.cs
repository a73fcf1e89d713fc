// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Security.Cryptography.X509Certificates;

namespace Stickpeer.TestKit.Tls;

/// <summary>A generated certificate with its private key, in .NET and PEM forms.</summary>
public sealed class TestCertificate : IDisposable
{
    internal TestCertificate(X509Certificate2 certificate, string privateKeyPem)
    {
        Certificate = certificate;
        PrivateKeyPem = privateKeyPem;
        CertificatePem = certificate.ExportCertificatePem() + "\n";
    }

    /// <summary>The certificate with its private key (usable by SslStream).</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The certificate alone, PEM.</summary>
    public string CertificatePem { get; }

    /// <summary>The private key, PKCS#8 PEM.</summary>
    public string PrivateKeyPem { get; }

    /// <summary>Certificate then key in one PEM text, as HAProxy's <c>crt</c> expects.</summary>
    public string CombinedPem => CertificatePem + PrivateKeyPem + "\n";

    /// <summary>Writes <see cref="CombinedPem"/> to <paramref name="directory"/>/<paramref name="fileName"/> and returns the path.</summary>
    public string WriteCombinedPem(string directory, string fileName)
    {
        var path = Path.Combine(directory, fileName);
        File.WriteAllText(path, CombinedPem);
        return path;
    }

    /// <summary>Writes <see cref="CertificatePem"/> (e.g. a CA for <c>ca-file</c>) and returns the path.</summary>
    public string WriteCertificatePem(string directory, string fileName)
    {
        var path = Path.Combine(directory, fileName);
        File.WriteAllText(path, CertificatePem);
        return path;
    }

    /// <inheritdoc />
    public void Dispose() => Certificate.Dispose();
}
