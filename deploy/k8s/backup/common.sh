# What backup.sh and restore.sh share (sourced by both): the services, the media, and where each one is.
SERVICES="sso portal workload directory news"
MEDIA="news portal"

upper() { echo "$1" | tr '[:lower:]' '[:upper:]'; }

libpq_url() {  # libpq_url SERVICE: its database URL without SQLAlchemy's "+driver", which libpq does not know
  var=$(upper "$1")
  eval "url=\${${var}_MIGRATION_DATABASE_URL:-\${${var}_DATABASE_URL:-}}"
  case $url in
    postgresql://* | postgres://* | postgresql+*://* | postgres+*://*) ;;
    '') echo "${var}_DATABASE_URL (or ${var}_MIGRATION_DATABASE_URL) is required" >&2; return 64 ;;
    *) echo "${var}_DATABASE_URL must name a PostgreSQL database, got '${url%%:*}:…'" >&2; return 64 ;;
  esac
  printf '%s\n' "$url" | sed 's|^\(postgres[a-z]*\)+[A-Za-z0-9_]*://|\1://|'
}

media_bucket() {  # media_bucket news|portal: the bucket named by NEWS_MEDIA_BUCKET / PORTAL_MEDIA_BUCKET, or nothing
  eval "printf '%s\n' \"\${$(upper "$1")_MEDIA_BUCKET:-}\""
}

media_dir() {  # media_dir news|portal: the folder named by NEWS_MEDIA_DIR / PORTAL_MEDIA_DIR (when no bucket)
  var="$(upper "$1")_MEDIA_DIR"
  eval "dir=\${$var:-}"
  [ -n "$dir" ] || { echo "$var (or $(upper "$1")_MEDIA_BUCKET) is required" >&2; return 64; }
  printf '%s\n' "$dir"
}

# A bucket's files go to and from the archive through the services' own storage code (shared/storage.py), with
# the services' image's Python; the same tar.gz as a folder's, so a backup restores into either.
storage() {  # storage archive|unpack news|portal FILE
  "${PYTHON:-python3}" -m shared.storage "$@"
}

shown() {  # a URL as it may be printed: without its password
  printf '%s\n' "$1" | sed 's|^\([a-z]*://[^:@/]*\):[^@/]*@|\1@|'
}
