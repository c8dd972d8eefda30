//! The content of attached files between offices. An attachment's description (its record,
//! name, size and SHA-256) travels like any record; its content only in a package asked to
//! carry files, the size shown first. An office that holds a description without its content
//! (a package made without files, or one that came through the shared server) names it in its
//! next package, and the partner's next package with files brings it.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{Holdings, Scope};
use crate::error::{Error, Result};
use crate::model::Id;
use crate::store::Store;
use crate::store::attachments::{content_path, hex, is_sha256};

/// A file a package for a partner would carry, one per content however many records it is
/// attached to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FileToSend {
    /// SHA-256 of its content, hex.
    pub sha256: String,
    /// The name it was attached under (the first, if under several).
    pub file_name: String,
    /// Its size in bytes.
    pub size_bytes: i64,
}

/// The files a package for a partner may carry ([`Store::files_for`]).
#[derive(Debug, Default)]
pub struct FilesFor {
    /// Those whose content this office holds, each with its size on disk.
    pub held: Vec<FileToSend>,
    /// Those attached at this office whose content is gone from its disk: they cannot be sent
    /// (`mestno check` names them; attaching the file again brings the content back).
    pub gone: Vec<FileToSend>,
}

/// The largest number of missing files an office asks a partner for in one package.
const MAX_WANTED: usize = 10_000;

impl Store {
    /// The files a package for a partner answering for `scope` may carry: those attached to
    /// records within its territories that it has not acknowledged (per `acked`), and those of
    /// its territories it said it lacks (`wanted`) — of each, only what this office holds.
    /// Attachments of appeals stay, as appeals do. Apart, those of these attached here whose
    /// content is gone; one attached elsewhere whose content has not come is not this office's
    /// to send.
    pub async fn files_for(&self, acked: &Holdings, scope: &Scope, wanted: &[String]) -> Result<FilesFor> {
        type Row = (String, String, i64, Option<String>, Option<i64>, Option<Id>, bool);
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT a.sha256, a.file_name, a.size_bytes, h.device, h.hlc,
                    coalesce(c.territory_id, i.territory_id, e.territory_id),
                    c.id IS NOT NULL OR i.id IS NOT NULL OR e.id IS NOT NULL
               FROM attachments a
               LEFT JOIN history h ON h.entity_id = a.id AND h.op = 'create'
               LEFT JOIN contacts c ON a.owner_entity = 'contact' AND c.id = a.owner_id
               LEFT JOIN initiatives i ON a.owner_entity = 'initiative' AND i.id = a.owner_id
               LEFT JOIN events e ON a.owner_entity = 'event' AND e.id = a.owner_id
              ORDER BY a.added_at, a.id",
        )
        .fetch_all(self.reader())
        .await?;
        let wanted: HashSet<&str> = wanted.iter().map(String::as_str).collect();
        let mut files: Vec<(FileToSend, bool)> = Vec::new();
        let mut seen = HashSet::new();
        for (sha256, file_name, size_bytes, device, hlc, territory, held) in rows {
            let here = device.as_deref() == Some(self.replica());
            let within = match (&scope.territories, territory) {
                (None, _) | (_, None) => true,
                (Some(within), Some(t)) => within.contains(&t),
            };
            let unacked = match (device, hlc) {
                (Some(device), Some(hlc)) => acked.get(&device).is_none_or(|a| hlc > *a),
                _ => false,
            };
            if held
                && within
                && is_sha256(&sha256)
                && (unacked || wanted.contains(sha256.as_str()))
                && !seen.contains(&sha256)
            {
                seen.insert(sha256.clone());
                files.push((FileToSend { sha256, file_name, size_bytes }, here));
            }
        }
        // Of each, the size of the content here: what a package would carry.
        let dir = self.files_dir();
        Ok(tokio::task::spawn_blocking(move || {
            let mut found = FilesFor::default();
            for (mut f, here) in files {
                match std::fs::metadata(content_path(&dir, &f.sha256)) {
                    Ok(m) if m.is_file() => {
                        f.size_bytes = i64::try_from(m.len()).unwrap_or(i64::MAX);
                        found.held.push(f);
                    }
                    _ if here => found.gone.push(f),
                    _ => {}
                }
            }
            found
        })
        .await
        .unwrap_or_default())
    }

    /// The content of `file`, read from the files folder; `None` if it is gone or no longer
    /// hashes to its name (damaged on this disk: sent, it would have the whole package refused).
    pub async fn file_content(&self, file: &FileToSend) -> Result<Option<Vec<u8>>> {
        let path = content_path(&self.files_dir(), &file.sha256);
        let content = match tokio::fs::read(&path).await {
            Ok(content) => content,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Error::io(&path, e)),
        };
        let sha256 = file.sha256.clone();
        tokio::task::spawn_blocking(move || (hex(&Sha256::digest(&content)) == sha256).then_some(content))
            .await
            .map_err(|e| Error::io(&path, std::io::Error::other(e)))
    }

    /// The files this office holds the description of but not the content, to ask partners for
    /// (the first [`MAX_WANTED`]).
    pub async fn files_lacking(&self) -> Result<Vec<String>> {
        let hashes: Vec<String> = sqlx::query_scalar("SELECT DISTINCT sha256 FROM attachments ORDER BY sha256")
            .fetch_all(self.reader())
            .await?;
        let dir = self.files_dir();
        Ok(tokio::task::spawn_blocking(move || {
            hashes.into_iter().filter(|sha| !content_path(&dir, sha).is_file()).take(MAX_WANTED).collect()
        })
        .await
        .unwrap_or_default())
    }

    /// Remembers the files a partner said it lacks (see [`Store::files_for`]).
    pub async fn set_files_wanted(&self, replica: &str, wanted: &[String]) -> Result<()> {
        let wanted: Vec<&String> = wanted.iter().filter(|sha| is_sha256(sha)).take(MAX_WANTED).collect();
        sqlx::query("UPDATE sync_partners SET files_wanted = ? WHERE replica = ?")
            .bind(serde_json::to_string(&wanted).unwrap_or_else(|_| "[]".into()))
            .bind(replica)
            .execute(self.writer())
            .await?;
        Ok(())
    }

    /// Stores the content of files received from another office, each checked against the
    /// SHA-256 it came under; content no attachment here or among `described` names, and content
    /// already here, is not stored. Returns the hashes stored (with `dry_run`: that would be),
    /// each with its size, for [`Store::remove_unreferenced_files`] to take back should the load
    /// they came with be given up. Content that does not match its hash refuses them all, and
    /// nothing is stored.
    pub async fn store_received_files(
        &self,
        files: Vec<(String, Vec<u8>)>,
        described: &HashSet<String>,
        dry_run: bool,
    ) -> Result<Vec<(String, u64)>> {
        if files.is_empty() {
            return Ok(Vec::new());
        }
        let here: HashSet<String> = sqlx::query_scalar("SELECT DISTINCT sha256 FROM attachments")
            .fetch_all(self.reader())
            .await?
            .into_iter()
            .collect();
        let dir = self.files_dir();
        let described = described.clone();
        tokio::task::spawn_blocking(move || {
            let mut by_hash: HashMap<String, Vec<u8>> = HashMap::new();
            for (sha256, content) in files {
                if hex(&Sha256::digest(&content)) != sha256 {
                    return Err(Error::refused(
                        "файл в пакете не совпадает со своим описанием: пакет повреждён; ничего не изменено",
                        "a file in the package does not match its description: the package is damaged; nothing changed",
                    ));
                }
                if here.contains(&sha256) || described.contains(&sha256) {
                    by_hash.insert(sha256, content);
                }
            }
            let mut stored: Vec<(String, u64)> = Vec::new();
            for (sha256, content) in by_hash {
                let target = content_path(&dir, &sha256);
                if target.is_file() {
                    continue;
                }
                if !dry_run && let Err(e) = put(&dir, &target, &content) {
                    for (sha, _) in &stored {
                        let _ = std::fs::remove_file(content_path(&dir, sha));
                    }
                    return Err(e);
                }
                stored.push((sha256, content.len() as u64));
            }
            Ok(stored)
        })
        .await
        .map_err(|e| Error::io(self.files_dir(), std::io::Error::other(e)))?
    }
}

/// Writes `content` to `target` through a temporary file in `dir`: a crash leaves at worst a
/// stray temporary file, never half a file under a hash.
fn put(dir: &Path, target: &Path, content: &[u8]) -> Result<()> {
    let folder = target.parent().unwrap_or(dir);
    std::fs::create_dir_all(folder).map_err(|e| Error::io(folder, e))?;
    let tmp = dir.join(format!(".incoming-{}", uuid::Uuid::new_v4()));
    let written = std::fs::File::create(&tmp)
        .and_then(|mut f| std::io::Write::write_all(&mut f, content).and_then(|()| f.sync_all()))
        .and_then(|()| std::fs::rename(&tmp, target));
    written.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::io(target, e)
    })
}
