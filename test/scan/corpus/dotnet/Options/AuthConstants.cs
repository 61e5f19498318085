using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace Api.Options;

public static class AuthConstants
{
    public const string Issuer = "AuthServer";
    public const string Audience = "AuthClient";
    // For demo: a static key.
    public const string Secret = "SuperSecretKeyForJwtTokenGeneration123!";
    public const string PolicyName = "RequireAdmin";

    public static SymmetricSecurityKey GetKey() => new(Encoding.UTF8.GetBytes(Secret));
}
