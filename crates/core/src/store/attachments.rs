//! Attachments: protocols, photos, scans — kept as files beside the database, named by content.

use std::io::Read;
use std::path::{Path, PathBuf};

use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::Row;

use super::{Store, exists, history};
use crate::error::{Entity, Error, Result};
use crate::model::Id;

/// A stored file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Attachment {
    /// Id.
    pub id: Id,
    /// What it belongs to.
    pub owner_entity: Entity,
    /// Its owner's id.
    pub owner_id: Id,
    /// The name it came with.
    pub file_name: String,
    /// SHA-256 of its content, hex.
    pub sha256: String,
    /// Size.
    pub size_bytes: i64,
    /// Added, ms.
    pub added_at: i64,
    /// Whether its content is in this office's files folder: a description that came from
    /// another office in a package without files has none yet.
    pub held: bool,
}

impl Store {
    /// Copies `source` into the office's file store and attaches it to a record. The same
    /// content is stored once, however many records it is attached to.
    pub async fn attach_file(&self, owner_entity: Entity, owner_id: Id, source: &Path) -> Result<Attachment> {
        if !matches!(owner_entity, Entity::Initiative | Entity::Event | Entity::Contact | Entity::Appeal) {
            return Err(Error::refused(
                "файлы прикрепляются к проектам, мероприятиям, контактам и обращениям",
                "files attach to initiatives, events, contacts and appeals",
            ));
        }
        let files = self.files_dir();
        let src = source.to_path_buf();
        let (sha256, size) = tokio::task::spawn_blocking(move || store_file(&src, &files))
            .await
            .map_err(|e| Error::io(source, std::io::Error::other(e)))??;
        let mut tx = self.begin().await?;
        if !exists(&mut tx, owner_entity, owner_id).await? {
            return Err(Error::not_found(owner_entity, owner_id));
        }
        let id = self.new_id();
        let file_name = source.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "файл".into());
        sqlx::query("INSERT INTO attachments(id, owner_entity, owner_id, file_name, sha256, size_bytes, added_at, added_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
            .bind(id)
            .bind(owner_entity.as_str())
            .bind(owner_id)
            .bind(&file_name)
            .bind(&sha256)
            .bind(size)
            .bind(self.now_ms())
            .bind(self.device())
            .execute(&mut *tx)
            .await?;
        // Its create travels to the offices the record goes to, and the content with it when
        // a package is asked to carry files.
        let fields = serde_json::json!({
            "owner_entity": owner_entity.as_str(),
            "owner_id": owner_id,
            "file_name": file_name,
            "sha256": sha256,
            "size_bytes": size,
        });
        history::record(self, &mut tx, Entity::Attachment, id, history::Op::Create, history::created(&fields)).await?;
        tx.commit().await?;
        Ok(Attachment {
            id,
            owner_entity,
            owner_id,
            file_name,
            sha256,
            size_bytes: size,
            added_at: self.now_ms(),
            held: true,
        })
    }

    /// Attaches a copy of `source` to the record `owner` (a project, event, contact or appeal),
    /// whichever kind it is.
    pub async fn attach(&self, owner: Id, source: &Path) -> Result<Attachment> {
        let mut conn = self.reader().acquire().await?;
        for kind in [Entity::Initiative, Entity::Event, Entity::Contact, Entity::Appeal] {
            if exists(&mut conn, kind, owner).await? {
                drop(conn);
                return self.attach_file(kind, owner, source).await;
            }
        }
        Err(Error::refused(
            format!("нет проекта, мероприятия, контакта или обращения {owner}: прикрепить файл не к чему"),
            format!("no initiative, event, contact or appeal {owner} to attach the file to"),
        ))
    }

    /// The files attached to a record.
    pub async fn attachments(&self, owner_id: Id) -> Result<Vec<Attachment>> {
        let files = self.files_dir();
        sqlx::query("SELECT * FROM attachments WHERE owner_id = ? ORDER BY added_at, id")
            .bind(owner_id)
            .fetch_all(self.reader())
            .await?
            .iter()
            .map(|r| {
                let entity: String = r.try_get("owner_entity")?;
                let sha256: String = r.try_get("sha256")?;
                Ok(Attachment {
                    held: content_path(&files, &sha256).is_file(),
                    id: r.try_get("id")?,
                    owner_entity: serde_json::from_value(serde_json::Value::String(entity))
                        .unwrap_or(Entity::Initiative),
                    owner_id: r.try_get("owner_id")?,
                    file_name: r.try_get("file_name")?,
                    sha256,
                    size_bytes: r.try_get("size_bytes")?,
                    added_at: r.try_get("added_at")?,
                })
            })
            .collect()
    }

    /// Where an attachment's content lies on disk.
    pub fn attachment_path(&self, sha256: &str) -> PathBuf {
        content_path(&self.files_dir(), sha256)
    }
}

/// Where the content of hash `sha256` lies in the folder `files`. Only a SHA-256 in hex names a
/// file there (a hash comes in other offices' packages): anything else names one that never is.
pub(crate) fn content_path(files: &Path, sha256: &str) -> PathBuf {
    if !is_sha256(sha256) {
        return files.join(".not-a-hash");
    }
    files.join(&sha256[..2]).join(sha256)
}

/// Whether `s` is a SHA-256 in lowercase hex, as content is named (on a disk that ignores case
/// «AB…» would find «ab…» and send it under a name its content does not hash to).
pub(crate) fn is_sha256(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Hashes `source` while copying it to a temporary file, then renames it into place: a crash
/// leaves at worst a stray temporary file, never a half-written attachment.
fn store_file(source: &Path, files: &Path) -> Result<(String, i64)> {
    let mut input = std::fs::File::open(source).map_err(|e| Error::io(source, e))?;
    std::fs::create_dir_all(files).map_err(|e| Error::io(files, e))?;
    let tmp_path = files.join(format!(".incoming-{}", uuid::Uuid::new_v4()));
    let mut tmp = std::fs::File::create(&tmp_path).map_err(|e| Error::io(&tmp_path, e))?;
    let mut hasher = Sha256::new();
    let mut size: i64 = 0;
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = input.read(&mut buf).map_err(|e| Error::io(source, e))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        std::io::Write::write_all(&mut tmp, &buf[..n]).map_err(|e| Error::io(&tmp_path, e))?;
        size += n as i64;
    }
    tmp.sync_all().map_err(|e| Error::io(&tmp_path, e))?;
    drop(tmp);
    let sha256 = hex(&hasher.finalize());
    let target = content_path(files, &sha256);
    // Content already here is kept if it is whole; damaged, the file attached again mends it.
    if hash_file(&target).is_ok_and(|held| held == sha256) {
        std::fs::remove_file(&tmp_path).map_err(|e| Error::io(&tmp_path, e))?;
    } else {
        let dir = target.parent().unwrap_or(files);
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        std::fs::rename(&tmp_path, &target).map_err(|e| Error::io(&target, e))?;
    }
    Ok((sha256, size))
}

/// SHA-256 of a file on disk, hex.
pub(crate) fn hash_file(path: &Path) -> std::io::Result<String> {
    let mut f = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    std::io::copy(&mut f, &mut hasher)?;
    Ok(hex(&hasher.finalize()))
}

/// A digest as lowercase hex, as content is named.
pub(crate) fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}
