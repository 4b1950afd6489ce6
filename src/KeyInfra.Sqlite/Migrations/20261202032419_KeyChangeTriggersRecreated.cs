using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KeyInfra.Sqlite.Migrations
{
    /// <inheritdoc />
    internal partial class KeyChangeTriggersRecreated : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(SqliteMigrationSql.KeyChangeTriggersRecreated);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // SignatureHardening's Down rebuilds the tables again, dropping the triggers; KeyChangeDetection's Down
            // tolerates that.
            migrationBuilder.Sql(SqliteMigrationSql.KeyChangeDetectionDown);
        }
    }
}
