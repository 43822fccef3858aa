/**
 * The seed's samples (the hosted registry's /v1 API document the API follows), copied as JSON. The
 * seed's text is not strict JSON (Python's `False`, a missing comma); the values are the same.
 */
export const CREATE_REQUEST = {
  repo_name: 'repo',
  description: 'A docker image repository',
  namespace: 'madams',
  is_public: true,
};

export const CREATE_RESPONSE = {
  repo_name: 'repo',
  namespace: 'madams',
  repo_path: 'madams/repo',
  is_automated: false,
  description: 'A repo docker image repository',
  creation_time: '2014-11-19T05:54:22.741Z',
  updated_time: '2014-11-19T05:54:22.741Z',
  is_public: true,
  logo: 'default-icon.jpg',
};

export const LIST_RESPONSE = {
  count: 3,
  next: null,
  previous: null,
  results: [
    {
      repo_name: 'repo1',
      namespace: 'madams',
      repo_path: 'madams/repo1',
      is_automated: false,
      description: 'repo1',
      creation_at: '2014-11-19T05:54:22.741Z',
      updated_at: '2014-11-19T05:54:22.741Z',
      is_public: true,
      logo: 'default-icon.jpg',
      repo_starred_count: 0,
      full_description: '',
      download: 0,
      upload: 9,
      pulled_at: null,
      pushed_at: '2015-06-04T16:30:27.532Z',
    },
  ],
};

export const UPDATE_RESPONSE = {
  repo_name: 'repo',
  namespace: 'madams',
  repo_path: 'madams/repo',
  description: 'A repo docker image repository',
  is_public: true,
  logo: 'default-icon.jpg',
};

export const DETAIL_RESPONSE = {
  namespace: 'madams',
  repo_name: 'test',
  repo_path: 'madams/test',
  logo_file: '/static/images/user/default-logo.png',
  description: 'test',
  full_description: 'test contain 2 tags',
  repo_starred_count: 0,
  created_at: '2015-05-13T01:04:48.246Z',
  updated_at: '2015-06-07T10:41:31.882Z',
  is_public: false,
  logo: 'default-icon.jpg',
  is_automated: false,
  download: 103,
  upload: 4,
  pulled_at: '2015-06-07T10:41:31.881Z',
  pushed_at: '2015-05-24T00:54:26.452Z',
  is_repo_starred: false,
};

export const TAGS_RESPONSE = [
  { image_id: 'a4002247cb22e78c8d9ffeccdf7ea23d7763f53493d4d763cb4dbe58bf3566b5', tag: 'test' },
  { image_id: 'e72ac664f4f0c6a061ac4ef332557a70d69b0c62fb6add35f1c181ff7fff2287', tag: 'latest' },
];
