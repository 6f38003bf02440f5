#!/bin/sh
# restore.sh BACKUP_FOLDER: a backup made by backup.sh back into the center, with the services stopped.
#   1. the MANIFEST's sums are checked first: a backup without one (failed, or still being written), or
#      with any file missing or changed, is refused before anything is touched;
#   2. each dump goes into the database of <SERVICE>_MIGRATION_DATABASE_URL, else <SERVICE>_DATABASE_URL
#      (new, empty databases made by deploy/postgres/roles.sql; the URL should be the schema owner's);
#   3. the media archives are unpacked into NEWS_MEDIA_BUCKET and PORTAL_MEDIA_BUCKET (S3), else into the
#      folders NEWS_MEDIA_DIR and PORTAL_MEDIA_DIR.
# Then the migrate Job (entrypoint.sh migrate) finds every database at head already, and the services start.
set -eu

. "$(dirname "$0")/common.sh"

[ $# -eq 1 ] || { echo "usage: restore.sh BACKUP_FOLDER (a folder backup.sh made, with its MANIFEST)" >&2; exit 64; }
folder=${1%/}

refuse() { echo "refusing $folder: $1" >&2; exit 65; }

[ -d "$folder" ] || refuse "no such folder"
[ -f "$folder/MANIFEST" ] || refuse "it has no MANIFEST, so it failed or was still being written"
expected=""
for service in $SERVICES; do expected="$expected $service.dump"; done
for name in $MEDIA; do expected="$expected $name-media.tar.gz"; done
for file in $expected; do
  # sha256sum's line: the sum, two spaces (one and "*" in binary mode), the name.
  grep -Eq "^[0-9a-f]{64} [ *]$file\$" "$folder/MANIFEST" || refuse "its MANIFEST does not list $file"
done
[ "$(grep -c . "$folder/MANIFEST")" -eq "$(echo $expected | wc -w)" ] || refuse "its MANIFEST lists other files"
(cd "$folder" && sha256sum --check --strict --quiet MANIFEST) ||
  refuse "a file does not match its sum in MANIFEST (see above): the backup is damaged"
echo "$folder: every file matches its MANIFEST"

# Every setting before the first database changes: a missing one must not leave a half-restored center.
for service in $SERVICES; do libpq_url "$service" >/dev/null; done
for name in $MEDIA; do
  [ -z "$(media_bucket "$name")" ] || continue
  target=$(media_dir "$name")
  mkdir -p "$target" && [ -w "$target" ] || { echo "$target: not a folder this user may write into" >&2; exit 73; }
done

restored=""
for service in $SERVICES; do
  url=$(libpq_url "$service")
  # One transaction per database: a failure leaves that database as it was, never half restored (which
  # could pass for a restored one, its migration table being there), and running this again starts clean.
  # --no-owner and --no-privileges: the objects belong to the restoring role, and roles.sql's default
  # privileges give the service's row-only role its rights, whatever the roles were called where the
  # backup was made.
  if ! pg_restore --clean --if-exists --no-owner --no-privileges --exit-on-error --single-transaction \
         --no-password --dbname="$url" "$folder/$service.dump"; then
    echo "restoring $service into $(shown "$url") FAILED; it is unchanged." >&2
    echo "restored before it:${restored:- nothing}; not restored: $service and the rest" >&2
    exit 1
  fi
  echo "restored $service.dump into $(shown "$url")"
  restored="$restored $service"
done

for name in $MEDIA; do
  if [ -n "$(media_bucket "$name")" ]; then
    storage unpack "$name" "$folder/$name-media.tar.gz" || { echo "restoring $name-media.tar.gz FAILED" >&2; exit 1; }
    continue
  fi
  target=$(media_dir "$name")
  # The files become the restoring user's (the services' uid in the restore Job), whoever owned them at the
  # backup; the folder itself (perhaps a volume's root, not ours) keeps its owner and times.
  tar -C "$target" --no-same-owner --no-overwrite-dir -xzf "$folder/$name-media.tar.gz"
  echo "restored $name-media.tar.gz into $target ($(find "$target" -type f | wc -l) files)"
done
echo "restore of $folder complete: run the migrations (a no-op at head), then start the services"
