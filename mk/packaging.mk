# SPDX-License-Identifier: GPL-2.0
# Release and packaging targets.  Output goes under build/ like everything
# else, so "make clean" removes it.
#
#   make dist              build/pkg/nvme-tcp-offload-<ver>.tar.gz from HEAD
#   make deb               build/pkg/nvme-tcp-offload-dkms_<ver>_all.deb
#   make rpm               build/rpm/RPMS/{noarch,<arch>}/*.rpm and SRPMS/*.src.rpm
#                          (the DKMS package and the tool, from one tarball)
#   make check-packaging   build both, lintian, scriptlets, DKMS round trip
#                          (installs packages on this machine: root only)
#
# deb and rpm package the working tree as "git add -A" would see it (tracked
# and untracked files, .gitignore honoured, the real index untouched), so
# uncommitted work can be tested; PKG_FROM=HEAD packages the last commit.

PKG_NAME := nvme-tcp-offload
PKG_DIR := $(TOP)/build/pkg
RPM_TOP := $(TOP)/build/rpm
RPM_SPECS := $(TOP)/rpm/$(PKG_NAME).spec $(TOP)/rpm/$(PKG_NAME)-utils.spec
PKG_FROM ?= worktree

# Shell snippet printing the git tree to package.  The working-tree case
# writes a tree object through a scratch copy of the index.
ifeq ($(PKG_FROM),HEAD)
pkg_tree := echo HEAD
else
pkg_tree := idx=$(PKG_DIR)/.index; mkdir -p $(PKG_DIR); \
	cp "$$(git -C $(TOP) rev-parse --path-format=absolute --git-path index)" $$idx 2>/dev/null || rm -f $$idx; \
	GIT_INDEX_FILE=$$idx git -C $(TOP) add -A && GIT_INDEX_FILE=$$idx git -C $(TOP) write-tree; \
	rm -f $$idx
endif

# Package builds run their own make: keep this make's flags and jobserver out.
pkg_env := env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL

.PHONY: dist deb rpm check-packaging

dist:
	@git -C $(TOP) rev-parse --verify -q HEAD >/dev/null || { echo "make dist: needs a git checkout with a commit" >&2; exit 1; }
	@mkdir -p $(PKG_DIR)
	@v=$$(git -C $(TOP) show HEAD:VERSION) && \
	out=$(PKG_DIR)/$(PKG_NAME)-$$v.tar.gz && \
	git -C $(TOP) archive --format=tar.gz --prefix=$(PKG_NAME)-$$v/ -o $$out HEAD && \
	echo "dist: $$out" && \
	{ [ -z "$$(git -C $(TOP) status --porcelain)" ] || echo "dist: note: uncommitted changes and new files are not in the tarball"; }

deb:
	@command -v dpkg-buildpackage >/dev/null && command -v dh_dkms >/dev/null || { \
		echo "make deb: needs dpkg-dev, debhelper and dh-dkms (tools/install-deps --packaging)" >&2; exit 1; }
	@rm -rf $(PKG_DIR)/$(PKG_NAME)-$(VERSION)
	@mkdir -p $(PKG_DIR)
	@tree=$$($(pkg_tree)) && git -C $(TOP) archive --prefix=$(PKG_NAME)-$(VERSION)/ $$tree | tar -x -C $(PKG_DIR)
	@test -f $(PKG_DIR)/$(PKG_NAME)-$(VERSION)/debian/control || { \
		echo "make deb: no debian/ in the $(PKG_FROM) tree (PKG_FROM=HEAD needs it committed)" >&2; exit 1; }
	cd $(PKG_DIR)/$(PKG_NAME)-$(VERSION) && $(pkg_env) dpkg-buildpackage -us -uc -b
	@rm -rf $(PKG_DIR)/$(PKG_NAME)-$(VERSION)
	@ls $(PKG_DIR)/*_$(VERSION)_*.deb

rpm:
	@command -v rpmbuild >/dev/null || { echo "make rpm: needs rpmbuild (apt-get install rpm)" >&2; exit 1; }
	@for spec in $(RPM_SPECS); do \
		v=$$(rpmspec -q --srpm --qf '%{version}' $$spec) && [ "$$v" = "$(VERSION)" ] || { \
		echo "make rpm: $$spec Version ($$v) differs from VERSION ($(VERSION))" >&2; exit 1; }; done
	@rm -rf $(RPM_TOP)
	@mkdir -p $(RPM_TOP)/SOURCES
	@tree=$$($(pkg_tree)) && git -C $(TOP) archive --format=tar.gz --prefix=$(PKG_NAME)-$(VERSION)/ \
		-o $(RPM_TOP)/SOURCES/$(PKG_NAME)-$(VERSION).tar.gz $$tree
	@# On a host whose rpm database is empty (Debian), BuildRequires cannot be
	@# checked: gcc and make are there, but rpm does not know it.
	set -e; set --; rpm -q rpm >/dev/null 2>&1 || set -- --nodeps; \
	for spec in $(RPM_SPECS); do \
		$(pkg_env) rpmbuild -ba "$$@" --define "_topdir $(RPM_TOP)" $$spec; done
	@ls $(RPM_TOP)/RPMS/*/*.rpm $(RPM_TOP)/SRPMS/*.rpm

check-packaging:
	@$(TOP)/tools/install-deps --packaging
	@$(TOP)/tests/packaging/run
