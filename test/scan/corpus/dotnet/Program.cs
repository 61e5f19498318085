using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

var builder = WebApplication.CreateBuilder(args);

var jwtKey = builder.Configuration["Jwt:Key"] ?? "fallback-dev-key-please-change";
var jwtIssuer = builder.Configuration["Jwt:Issuer"] ?? "myapp";
var apiKey = Environment.GetEnvironmentVariable("API_KEY") ?? "local-api-key";
var dbPassword = builder.Configuration["Database:Password"]
    ?? throw new InvalidOperationException("Database:Password is not configured");

builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
    .AddJwtBearer(options =>
    {
        options.TokenValidationParameters = new TokenValidationParameters
        {
            ValidateIssuer = true,
            ValidIssuer = jwtIssuer,
            IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(jwtKey)),
        };
    });

var app = builder.Build();
app.MapGet("/", () => "ok");
app.Run();
