#!/bin/sh
# One backup of the center into a folder of its own, $BACKUP_DIR/<YYYY-MM-DDTHHMM>/:
#   sso.dump portal.dump workload.dump directory.dump news.dump   pg_dump -Fc of each service's database
#   news-media.tar.gz portal-media.tar.gz                          the uploaded images and PDFs
#   MANIFEST                                                       sha256 of each, written last
# A folder without MANIFEST is a backup that failed or is still being written; restore.sh refuses it.
# After a complete backup, folders older than $BACKUP_KEEP_DAYS (default 14) are removed.
#
# Databases: <SERVICE>_MIGRATION_DATABASE_URL, else <SERVICE>_DATABASE_URL, for sso portal workload directory
# news: the SQLAlchemy URLs the services take (postgresql+psycopg://user:pw@host:5432/db). The schema owner's
# URL is preferred, as for the migrations: the owner reads every table whatever was granted to whom.
# Media: NEWS_MEDIA_BUCKET and PORTAL_MEDIA_BUCKET (S3, reached with the AWS_* settings the services have), else
# the folders NEWS_MEDIA_DIR and PORTAL_MEDIA_DIR; a missing or empty folder is archived as empty.
# The Kubernetes CronJob dcc-backup (deploy/k8s/backup.yaml) runs this nightly; docs/operations.md has the
# procedure and restore.sh the way back.
set -eu

. "$(dirname "$0")/common.sh"

: "${BACKUP_DIR:?BACKUP_DIR must name the folder that holds the backups}"
keep_days=${BACKUP_KEEP_DAYS:-14}
case $keep_days in
  '' | *[!0-9]*) echo "BACKUP_KEEP_DAYS must be a whole number of days, got '$keep_days'" >&2; exit 64 ;;
esac

# Every setting is checked before anything is written: a typo fails at once, not after an hour of dumps.
for service in $SERVICES; do libpq_url "$service" >/dev/null; done
for name in $MEDIA; do [ -n "$(media_bucket "$name")" ] || media_dir "$name" >/dev/null; done

stamp=$(date +%Y-%m-%dT%H%M)
mkdir -p "$BACKUP_DIR"
folder="$BACKUP_DIR/$stamp"
# Never into an existing folder (a second run within the same minute): its MANIFEST would vouch for a mix.
mkdir "$folder" || { echo "$folder exists already; try again in a minute" >&2; exit 73; }
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

failed=""
files=""
# The databases before the media: a file is published only after its row committed, so every file a dump
# names is on disk by the time the archive is made (an orphan file in the archive is harmless).
for service in $SERVICES; do
  # pg_dump's snapshot makes each database consistent in itself; the five are dumped one after the other.
  if pg_dump --format=custom --no-password --lock-wait-timeout=5min --dbname="$(libpq_url "$service")" \
       --file="$folder/$service.dump"; then
    echo "dumped $service ($(du -k "$folder/$service.dump" | cut -f1) KiB)"
    files="$files $service.dump"
  else
    echo "the dump of $service FAILED" >&2
    rm -f "$folder/$service.dump"  # whatever pg_dump began must not pass for a dump
    failed="$failed $service"
  fi
done

for name in $MEDIA; do
  bucket=$(media_bucket "$name")
  if [ -n "$bucket" ]; then
    # Objects are never overwritten and go only after their row: the archive has every file a dump names.
    if storage archive "$name" "$folder/$name-media.tar.gz"; then
      files="$files $name-media.tar.gz"
    else
      echo "the archive of the bucket $bucket FAILED" >&2
      rm -f "$folder/$name-media.tar.gz"
      failed="$failed $name-media"
    fi
    continue
  fi
  wanted=$(media_dir "$name")
  source=$wanted
  if [ ! -d "$source" ]; then
    echo "warning: $wanted does not exist; $name-media.tar.gz is empty" >&2
    source="$scratch/empty"
    mkdir -p "$source"
  fi
  # Uploads being written are hidden .<name>.<random>.part files beside their final place: never archived.
  status=0
  tar -C "$source" --exclude='.*.part' -czf "$folder/$name-media.tar.gz" . || status=$?
  case $status in
    0) echo "archived $wanted ($(du -k "$folder/$name-media.tar.gz" | cut -f1) KiB)"
       files="$files $name-media.tar.gz" ;;
    # GNU tar's 1: a file changed or went away while it was read (an edit replacing an image): the archive
    # is complete otherwise, and the next night's has the change.
    1) echo "warning: files of $wanted changed while archived; the archive has the rest" >&2
       files="$files $name-media.tar.gz" ;;
    *) echo "the archive of $wanted FAILED" >&2
       rm -f "$folder/$name-media.tar.gz"
       failed="$failed $name-media" ;;
  esac
done

if [ -n "$failed" ]; then
  echo "backup $folder FAILED:$failed; no MANIFEST, so restore.sh refuses it" >&2
  exit 1
fi

# On disk before the MANIFEST says they are complete, so a crash cannot leave a MANIFEST over lost writes.
sync
(cd "$folder" && sha256sum $files >.MANIFEST.part && mv .MANIFEST.part MANIFEST)
echo "backup complete: $folder"

# Only after a complete backup: nights of failures never remove the last good one. The names sort as their
# times do, so the cutoff is a name too (date -d @seconds: GNU and busybox).
cutoff=$(date -d "@$(($(date +%s) - keep_days * 86400))" +%Y-%m-%dT%H%M)
for old in "$BACKUP_DIR"/[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9][0-9][0-9]; do
  [ -d "$old" ] || continue
  if expr "x${old##*/}" \< "x$cutoff" >/dev/null; then
    rm -rf "$old"
    echo "removed $old (older than $keep_days days)"
  fi
done
