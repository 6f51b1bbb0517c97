// Regression tests for issue 11: symlinked class folders were silently skipped (training ran on 1
// of 2 classes). Links are followed now, with loops and duplicates refused by real path.
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadImageFolder } from '../../../server/data/imageFolder';
import { classFolders, gray, rejects, tmp, writePng } from './dataTestSupport';

test('a symlinked class folder is read like a real one, and so is a symlinked image', () => {
  const root = tmp();
  const [cat, elsewhere] = classFolders(root, ['train/cat', 'elsewhere/dog']);
  writePng(join(cat, '1.png'), 2, 2, () => gray(10));
  writePng(join(elsewhere, '1.png'), 2, 2, () => gray(200));
  writePng(join(root, 'loose.png'), 2, 2, () => gray(90));
  symlinkSync(elsewhere, join(root, 'train/dog'));
  symlinkSync(join(root, 'loose.png'), join(cat, '2.png'));
  const d = loadImageFolder('f', join(root, 'train'));
  assert.deepEqual(d.classNames, ['cat', 'dog']);
  assert.deepEqual(Array.from(d.labels), [0, 0, 1]);
  assert.deepEqual([d.pixels[0], d.pixels[4], d.pixels[8]], [10, 90, 200]);
});

test('a class folder linking back to the dataset folder, or to a folder containing it, is a symbolic link loop', () => {
  const root = tmp();
  const [a] = classFolders(root, ['train/a']);
  writePng(join(a, '1.png'), 2, 2, () => gray(1));
  const train = join(root, 'train');
  symlinkSync(train, join(train, 'loop'));
  rejects(() => loadImageFolder('f', train), join(train, 'loop'), /links back to the image folder that contains it .*: a symbolic link loop/);
  const other = join(root, 'other');
  mkdirSync(join(other, 'a'), { recursive: true });
  writePng(join(other, 'a', '1.png'), 2, 2, () => gray(1));
  symlinkSync(root, join(other, 'up'));
  rejects(() => loadImageFolder('f', other), join(other, 'up'), /links back to the image folder that contains it/);
});

test('two class folders leading to the same folder are refused (the images would count under two labels)', () => {
  const root = tmp();
  const [a] = classFolders(root, ['train/a']);
  writePng(join(a, '1.png'), 2, 2, () => gray(1));
  symlinkSync(a, join(root, 'train/b'));
  rejects(() => loadImageFolder('f', join(root, 'train')), join(root, 'train/b'), /is the same folder as class folder .*train\/a \(both lead to .*\); each class needs its own folder/);
});

test('self-referencing and dangling links are named as such', () => {
  const root = tmp();
  const [a] = classFolders(root, ['a']);
  writePng(join(a, '1.png'), 2, 2, () => gray(1));
  symlinkSync(join(root, 'z'), join(root, 'z'));
  rejects(() => loadImageFolder('f', root), join(root, 'z'), /is a symbolic link loop/);
  const other = tmp();
  classFolders(other, ['a']);
  writePng(join(other, 'a', '1.png'), 2, 2, () => gray(1));
  symlinkSync(join(other, 'missing'), join(other, 'b'));
  rejects(() => loadImageFolder('f', other), join(other, 'b'), /is a broken symbolic link \(its target .*missing does not exist\)/);
});

test('a folder without images says what it has instead; images outside class folders are pointed out; hidden files are skipped', () => {
  const root = tmp();
  const [a, b] = classFolders(root, ['a', 'b']);
  writePng(join(a, '1.png'), 2, 2, () => gray(1));
  writeFileSync(join(a, '._1.png'), 'macOS resource fork, not an image');
  writeFileSync(join(b, 'notes.txt'), 'no images here');
  rejects(() => loadImageFolder('f', root), b, /class folder "b" is empty \(no \.png, \.jpg or \.jpeg images; it only has 1 other file\(s\), e.g\. notes\.txt\)/);
  writePng(join(b, '1.png'), 2, 2, () => gray(2));
  assert.equal(loadImageFolder('f', root).count, 2);
  const flat = tmp();
  writePng(join(flat, '1.png'), 2, 2, () => gray(1));
  writePng(join(flat, '2.png'), 2, 2, () => gray(1));
  rejects(() => loadImageFolder('f', flat), flat, /no class subfolders \(expected one subfolder of images per class; found 2 image\(s\) directly in the folder/);
});
