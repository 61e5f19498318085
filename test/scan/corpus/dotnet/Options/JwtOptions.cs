namespace Api.Options;

public sealed class JwtOptions
{
    public const string SectionName = "Jwt";

    public string Issuer { get; init; } = "";
    public string Audience { get; init; } = "";
    public string Key { get; set; } = "DefaultKeyForDevelopment123456789";
    public string RefreshKey { get; set; } = string.Empty;
    public int ExpireMinutes { get; set; } = 60;
}
